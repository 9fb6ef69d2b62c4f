package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// downloads collects the files a browser saves: the browser names each by
// its GUID in dir, and tells the suggested name and the end by events.
type downloads struct {
	dir  string
	mu   sync.Mutex
	name map[string]string // guid → suggested file name
	done chan string       // guids of completed downloads
}

// allowDownloads lets b save downloads into a fresh dir and reports them.
func allowDownloads(t *testing.T, b *browser) *downloads {
	t.Helper()
	d := &downloads{dir: t.TempDir(), name: map[string]string{}, done: make(chan string, 16)}
	if err := chromedp.ListenBrowser(b.ctx, func(ev any) {
		switch e := ev.(type) {
		case *cdpbrowser.EventDownloadWillBegin:
			d.mu.Lock()
			d.name[e.GUID] = e.SuggestedFilename
			d.mu.Unlock()
		case *cdpbrowser.EventDownloadProgress:
			if e.State == cdpbrowser.DownloadProgressStateCompleted {
				select {
				case d.done <- e.GUID:
				default:
				}
			}
		}
	}); err != nil {
		t.Fatalf("listening for downloads: %v", err)
	}
	yes := true
	if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: d.dir, EventsEnabled: &yes,
	}); err != nil {
		t.Fatalf("allowing downloads: %v", err)
	}
	return d
}

// next waits for the next completed download and returns its suggested
// name and its content.
func (d *downloads) next(t *testing.T, what string) (string, []byte) {
	t.Helper()
	select {
	case guid := <-d.done:
		d.mu.Lock()
		name := d.name[guid]
		d.mu.Unlock()
		buf, err := os.ReadFile(filepath.Join(d.dir, guid))
		if err != nil {
			t.Fatalf("%s: reading the download: %v", what, err)
		}
		return name, buf
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: no download completed within 60 s", what)
	}
	return "", nil
}

// TestMinutesDownload: the facilitator downloads the minutes from the
// page's menu in every format; each file is what its format promises, and
// the HTML minutes, opened in a tab of their own, print on A4 (a screenshot
// of the print view and the printed PDF are kept).
func TestMinutesDownload(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	const title = "Notulen Uji Unduhan"
	fac.do("create a session with its details",
		chromedp.Navigate(base+"/"),
		waitVisible(css(`[data-testid=template-masalah-inovasi]`)),
		click(css(`[data-testid=template-masalah-inovasi]`)),
		typeInto(css(`[data-testid=create-title]`), title),
		typeInto(css(`[data-testid=create-name]`), "Budi Santoso"),
		click(css(`details.more > summary`)),
		waitVisible(css(`[data-testid=create-zone]`)),
		typeInto(css(`[data-testid=create-agenda]`), "Pemetaan masalah pelayanan"),
		typeInto(css(`[data-testid=create-place]`), "Ruang Rapat Lt. 2"),
		typeInto(css(`[data-testid=create-unit]`), "Balai Pelayanan"),
		setValue(css(`[data-testid=create-zone]`), "WITA"),
		click(css(`[data-testid=create-submit]`)),
		waitVisible(css(selBoard)),
	)
	fac.waitJS("connected", connected)
	code := eval[string](fac, `document.querySelector('[data-testid=topbar-code] span').textContent`)
	// A participant with a name beyond ASCII, joined over the API.
	const guest = "Ni Luh Ayu Ṡaraswati"
	if got := evalAwait[int](fac, `fetch('/api/join', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({code: `+js(code)+`, name: `+js(guest)+`})}).then(r => r.status)`); got != 201 {
		t.Fatalf("joining over the API: status %d", got)
	}
	const problem, innovation = "Antrean loket terlalu panjang", "Nomor antrean lewat WhatsApp"
	addNote(t, fac, 1, problem)
	addNote(t, fac, 3, innovation)
	fac.waitJS("the notes are acked", noteShown(problem)+` && `+noteShown(innovation))

	dl := allowDownloads(t, fac)
	files := map[string][]byte{}
	for _, format := range []string{"pdf", "docx", "html", "md", "csv", "json"} {
		fac.do("download the "+format+" minutes",
			click(css(`[data-testid=more-menu]`)),
			click(css(`[data-testid=menu-minutes]`)),
			waitVisible(css(`[data-testid=minutes-dialog]`)),
			click(css(`[data-testid=minutes-format-`+format+`]`)),
			click(css(`[data-testid=minutes-lang-id]`)),
			click(css(`[data-testid=minutes-download]`)),
			waitGone(css(`[data-testid=minutes-dialog]`)),
		)
		name, buf := dl.next(t, format)
		if !strings.HasSuffix(name, "."+format) {
			t.Errorf("%s: the file is named %q", format, name)
		}
		if len(buf) == 0 {
			t.Errorf("%s: the file is empty", format)
		}
		files[format] = buf
	}

	if !bytes.HasPrefix(files["pdf"], []byte("%PDF-")) {
		t.Errorf("pdf: starts with %q", head(files["pdf"]))
	}
	if zr, err := zip.NewReader(bytes.NewReader(files["docx"]), int64(len(files["docx"]))); err != nil {
		t.Errorf("docx: not a zip: %v", err)
	} else {
		doc := ""
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				if rc, err := f.Open(); err == nil {
					var b bytes.Buffer
					_, _ = b.ReadFrom(rc)
					rc.Close()
					doc = b.String()
				}
			}
		}
		if !strings.Contains(doc, title) {
			t.Errorf("docx: word/document.xml does not hold the title")
		}
	}
	for _, format := range []string{"html", "md"} {
		text := string(files[format])
		for _, want := range []string{title, "Notulen", guest, problem, innovation, "WITA"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: no %q in the minutes", format, want)
			}
		}
	}
	csvr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(files["csv"], []byte("\xef\xbb\xbf"))))
	csvr.Comma = ';' // lang=id: Indonesian headers, ";" and a decimal comma
	if rows, err := csvr.ReadAll(); err != nil || len(rows) != 3 || strings.Join(rows[0], ";") != "kolom;grup;teks;penulis;suara;u;s;g;total;jenis" {
		t.Errorf("csv: %d rows (%v), header %q", len(rows), err, head(files["csv"]))
	}
	var j struct {
		Board      json.RawMessage   `json:"board"`
		Attendance []json.RawMessage `json:"attendance"`
	}
	if err := json.Unmarshal(files["json"], &j); err != nil || len(j.Board) == 0 || len(j.Attendance) != 2 {
		t.Errorf("json: %v, %d attendance rows", err, len(j.Attendance))
	}
	fac.shot("01-board-after-downloads")

	// The HTML minutes as a person opens the downloaded file: in a tab of
	// its own, as the printer sees it.
	page := filepath.Join(t.TempDir(), "notulen.html")
	if err := os.WriteFile(page, files["html"], 0o644); err != nil {
		t.Fatal(err)
	}
	tab, cancel := chromedp.NewContext(fac.ctx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(794, 1123), // A4 at 96 dpi
		chromedp.Navigate("file://"+page),
		waitVisible(css(`h1`)),
	); err != nil {
		t.Fatalf("opening the html minutes in a tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("print media: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot of the print view: %v", err)
	}
	saveArtifact(t, "02-minutes-print-view.png", shot)
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil {
		t.Fatalf("printing the html minutes: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("the printed html minutes start with %q", head(pdf))
	}
	printed := saveArtifact(t, "03-minutes-printed.pdf", pdf)
	// The printed pages as images, where poppler's pdftoppm is installed.
	if exe, err := exec.LookPath("pdftoppm"); err == nil {
		out := filepath.Join(t.TempDir(), "page")
		if msg, err := exec.Command(exe, "-png", "-r", "60", printed, out).CombinedOutput(); err != nil {
			t.Errorf("pdftoppm: %v: %s", err, msg)
		}
		pages, _ := filepath.Glob(out + "-*.png")
		for i, p := range pages {
			if buf, err := os.ReadFile(p); err == nil {
				saveArtifact(t, fmt.Sprintf("04-minutes-printed-page-%d.png", i+1), buf)
			}
		}
	}
	// The attendance list starts on a page of its own: at least two pages.
	if n := len(pdfPage.FindAll(pdf, -1)); n == 1 {
		t.Errorf("the printed minutes have one page; the attendance list should start a new one")
	}
}

// pdfPage matches a page object of an uncompressed page tree (Chromium writes one).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

func head(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}
