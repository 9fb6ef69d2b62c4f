package e2e

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// css is a shorthand for a CSS selector.
func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// col is the selector of the n-th column (1-based).
func col(n int) string {
	return fmt.Sprintf(`[data-testid=columns] > [data-testid=column]:nth-child(%d)`, n)
}

// createSession fills the landing page's create form and waits for the
// board; it returns the join code.
func createSession(t *testing.T, b *browser, base, title, name string) string {
	t.Helper()
	b.do("create a session",
		chromedp.Navigate(base+"/"),
		waitVisible(css(`[data-testid=template-masalah-inovasi]`)),
		click(css(`[data-testid=template-masalah-inovasi]`)), // the tests' three columns (the default is Zona Integritas)
		typeInto(css(`[data-testid=create-title]`), title),
		typeInto(css(`[data-testid=create-name]`), name),
		click(css(`[data-testid=create-submit]`)),
		waitVisible(css(selBoard)),
	)
	b.waitJS("connected", connected)
	return eval[string](b, `document.querySelector('[data-testid=topbar-code] span').textContent`)
}

// joinSession joins by code from the landing page and waits for the board.
func joinSession(t *testing.T, b *browser, base, code, name string) {
	t.Helper()
	b.do("join by code",
		chromedp.Navigate(base+"/"),
		waitVisible(css(`[data-testid=join-code-input]`)),
		typeInto(css(`[data-testid=join-code-input]`), code),
		typeInto(css(`[data-testid=join-name]`), name),
		click(css(`[data-testid=join-submit]`)),
		waitVisible(css(selBoard)),
	)
	b.waitJS("connected", connected)
}

// addNote opens the composer of column n (if closed) and posts text.
func addNote(t *testing.T, b *browser, n int, text string) {
	t.Helper()
	if !eval[bool](b, `!!document.querySelector(`+js(col(n)+` [data-testid=note-input]`)+`)`) {
		b.do("open the composer", click(css(col(n)+` [data-testid=add-note]`)))
	}
	b.do("post a note",
		waitVisible(css(col(n)+` [data-testid=note-input]`)),
		typeInto(css(col(n)+` [data-testid=note-input]`), text),
		click(css(col(n)+` [data-testid=note-submit]`)),
	)
}

// noteSel is a JS expression for the note element whose text is text.
func noteSel(text string) string {
	return `[...document.querySelectorAll('[data-testid=note]')].find(n => n.querySelector('[data-testid=note-text]')?.textContent === ` + js(text) + `)`
}

// clickNoteMenu opens the ⋯ menu of the note with this text, then clicks the menu item.
func clickNoteMenu(t *testing.T, b *browser, text, item string) {
	t.Helper()
	id := eval[string](b, `(`+noteSel(text)+`)?.dataset.noteId || ''`)
	if id == "" {
		b.shot("FAIL-no-note")
		t.Fatalf("%s: no note %q", b.name, text)
	}
	b.do("open the note menu",
		click(css(`[data-note-id="`+id+`"] [data-testid=note-menu]`)),
		waitVisible(css(`[data-testid=`+item+`]`)),
		click(css(`[data-testid=`+item+`]`)),
	)
}

// count returns how many elements match a CSS selector.
func count(b *browser, sel string) int {
	return eval[int](b, `document.querySelectorAll(`+js(sel)+`).length`)
}

// readZip returns a zip's file names in order and their contents.
func readZip(t *testing.T, buf []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(buf), int64(len(buf)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		names = append(names, f.Name)
		files[f.Name] = b
	}
	return names, files
}

// writeJPEG writes a 640×480 JPEG with a diagonal line of colour c into a
// temp dir and returns its path (a photo to upload).
func writeJPEG(t *testing.T, c color.RGBA) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for x := 0; x < 640; x++ {
		img.Set(x, x%480, c)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "rapat.jpg")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText is a PDF's text as pdftotext reads it (-raw), whitespace
// collapsed; it skips the test when pdftotext is not on PATH.
func pdfText(t *testing.T, name string, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not on PATH: the PDFs are not read")
	}
	p := filepath.Join(t.TempDir(), sanitize(name)+".pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", "-raw", p, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext %s: %v\n%s", name, err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// openDocx opens DOCX files (name → content) in LibreOffice, converting
// them to PDF in one run, and returns each one's text (pdfText); a file
// LibreOffice cannot open fails the test. It skips the test when soffice
// is not on PATH.
func openDocx(t *testing.T, docs map[string][]byte) map[string]string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not on PATH: the DOCX files are not opened")
	}
	dir := t.TempDir()
	args := []string{"--headless", "--norestore", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", filepath.Join(dir, "converted")}
	for name, b := range docs {
		p := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	if b, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	texts := map[string]string{}
	for name := range docs {
		pdf, err := os.ReadFile(filepath.Join(dir, "converted", name+".pdf"))
		if err != nil {
			t.Fatalf("%s.docx did not open in LibreOffice: %v", name, err)
		}
		texts[name] = pdfText(t, name+"-docx", pdf)
	}
	return texts
}

// drawSignature draws on the open signature pad of b (a touch phone): a
// zigzag with a finger (touch events) and an underline with the mouse (or
// a pen), and waits until the pad holds both strokes.
func drawSignature(t *testing.T, b *browser) {
	t.Helper()
	type rect struct{ X, Y, W, H float64 }
	r := eval[rect](b, `(() => { const r = document.querySelector('[data-testid=sign-pad]').getBoundingClientRect(); return {X: r.x, Y: r.y, W: r.width, H: r.height}; })()`)
	at := func(fx, fy float64) (float64, float64) { return r.X + fx*r.W, r.Y + fy*r.H }
	touch := func(typ input.DispatchTouchEventType, pts ...*input.TouchPoint) {
		t.Helper()
		if pts == nil {
			pts = []*input.TouchPoint{}
		}
		if _, err := chromedp.Call(b.ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: pts}); err != nil {
			t.Fatalf("touch %s: %v", typ, err)
		}
	}
	x, y := at(0.1, 0.7)
	touch(input.DispatchTouchEventTypeTouchStart, &input.TouchPoint{X: x, Y: y})
	for i := 1; i <= 8; i++ {
		fy := 0.7
		if i%2 == 1 {
			fy = 0.3
		}
		x, y = at(0.1+float64(i)*0.05, fy)
		touch(input.DispatchTouchEventTypeTouchMove, &input.TouchPoint{X: x, Y: y})
	}
	touch(input.DispatchTouchEventTypeTouchEnd)
	mouse := func(typ input.DispatchMouseEventType, fx, fy float64, buttons int64) {
		t.Helper()
		x, y := at(fx, fy)
		if _, err := chromedp.Call(b.ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: buttons, ClickCount: 1}); err != nil {
			t.Fatalf("mouse %s: %v", typ, err)
		}
	}
	mouse(input.DispatchMouseEventTypeMousePressed, 0.55, 0.8, 1)
	for i := 1; i <= 5; i++ {
		mouse(input.DispatchMouseEventTypeMouseMoved, 0.55+float64(i)*0.07, 0.8-float64(i)*0.02, 1)
	}
	mouse(input.DispatchMouseEventTypeMouseReleased, 0.9, 0.7, 0)
	b.waitJS("two strokes drawn", `+document.querySelector('[data-testid=sign-pad]').dataset.points >= 10 && !document.querySelector('[data-testid=sign-undo]').disabled`)
}
