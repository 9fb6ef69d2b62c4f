package minutes

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"strings"
	"text/template"
	"time"
)

//go:embed docx/*.xml
var docxFS embed.FS

// docxParts maps each part of the WordprocessingML package to its
// template, in the order the zip stores them ([Content_Types].xml first,
// as some readers expect).
var docxParts = []struct{ name, tmpl string }{
	{"[Content_Types].xml", "content_types.xml"},
	{"_rels/.rels", "rels.xml"},
	{"word/document.xml", "document.xml"},
	{"word/styles.xml", "styles.xml"},
	{"word/footer1.xml", "footer.xml"},
	{"word/_rels/document.xml.rels", "document_rels.xml"},
	{"docProps/core.xml", "core.xml"},
	{"docProps/app.xml", "app.xml"},
}

// Widths in twentieths of a point. A4 is 11906 wide; the margins (3 cm
// left for the binding, 2 cm right) leave textWidth for the tables.
const textWidth = 11906 - 1701 - 1134

var (
	prioCols   = []int{500, 3921, 650, 650, 650, 850, 950, 900}
	actionCols = []int{500, 3571, 1700, 2300, 1000}
	attendCols = []int{520, 1630, 1250, 1300, 1300, 1000, 900, 1171}
)

// docxCell is one table cell; Quiet is a second, grey line under the text.
type docxCell struct {
	W           int
	Text, Quiet string
	Right       bool
}

// docxTmpl holds every part's template. text/template does not escape, so
// every user value goes through x or t, which XML-escape it (and replace
// characters XML cannot hold); the templates never print a value bare.
var docxTmpl = template.Must(template.New("docx").Funcs(template.FuncMap{
	"x":           xmlEscape,
	"t":           wText,
	"cell":        func(w int, v any) docxCell { return docxCell{W: w, Text: fmt.Sprint(v)} },
	"cellQ":       func(w int, text, quiet string) docxCell { return docxCell{W: w, Text: text, Quiet: quiet} },
	"num":         func(w int, v any) docxCell { return docxCell{W: w, Text: fmt.Sprint(v), Right: true} },
	"join":        strings.Join,
	"textWidth":   func() int { return textWidth },
	"prioCols":    func() []int { return prioCols },
	"apklCols":    func() []int { return apklCols },
	"actionCols":  func() []int { return actionCols },
	"attendCols":  func() []int { return attendCols },
	"signWidth":   func(s []Signature) int { return textWidth / max(len(s), 1) },
	"w3c":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"pageParts":   pageParts,
	"sigCell":     sigCell,
	"photoEMU":    photoEMU,
	"add":         func(a, b int) int { return a + b },
	"regSumCols":  func() []int { return []int{4671, 1100, 1100, 1100, 1100} },
	"regItemCols": func() []int { return []int{450, 2900, 1300, 1500, 1200, 1721} },
	"indent":      func(n int, f Field) letterField { return letterField{f, n} },
}).ParseFS(docxFS, "docx/*.xml"))

// renderDOCX writes a WordprocessingML package: the minutes with styled
// headings, the priority, follow-up and attendance tables, an A4 page and
// a page break before the attendance list.
func renderDOCX(m *Model) ([]byte, error) {
	data, err := docxFigures(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range docxParts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: m.Made})
		if err != nil {
			return nil, err
		}
		if err := docxTmpl.ExecuteTemplate(w, p.tmpl, data); err != nil {
			return nil, fmt.Errorf("minutes: docx %s: %w", p.name, err)
		}
	}
	for _, p := range data.Pics {
		// PNG is compressed already: stored, not deflated again.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/" + p.Target, Method: zip.Store, Modified: m.Made})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(p.png); err != nil {
			return nil, err
		}
	}
	if err := writeDOCXMedia(zw, m); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// xmlEscape escapes s for XML text and attributes. encoding/xml also
// swaps characters XML 1.0 forbids (control codes) for U+FFFD, so a
// stray byte in a note cannot make Word refuse the file.
func xmlEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

// wText writes s as run content: one <w:t> per line with <w:br/> between,
// tabs as spaces, every line escaped.
func wText(s string) string {
	var b strings.Builder
	for i, ln := range lines(s) {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		b.WriteString(`<w:t xml:space="preserve">`)
		b.WriteString(xmlEscape(strings.ReplaceAll(ln, "\t", " ")))
		b.WriteString("</w:t>")
	}
	return b.String()
}

// pageParts splits the page label ("Halaman %d dari %s") around its two
// numbers, which the docx footer holds as the fields PAGE and NUMPAGES:
// Word and LibreOffice fill them in on every page.
func pageParts(label string) [3]string {
	before, rest, _ := strings.Cut(label, "%d")
	middle, after, _ := strings.Cut(rest, "%s")
	return [3]string{before, middle, after}
}
