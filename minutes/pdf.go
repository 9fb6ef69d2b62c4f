package minutes

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// DejaVu Sans covers the Latin letters of Indonesian names and many more;
// its licence (fonts/LICENSE) allows bundling it. fpdf embeds only the
// glyphs a document uses, so the files stay small.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// Page geometry in millimetres: A4, with the wider left margin official
// documents keep for binding.
const (
	pdfLeft, pdfTop, pdfRight, pdfBottom = 25.0, 20.0, 20.0, 20.0
	pdfWidth                             = 210.0 - pdfLeft - pdfRight
	pdfPageH                             = 297.0
)

type pdfDoc struct {
	*fpdf.Fpdf
	m *Model
	// sigs, while the attendance table is drawn, are its rows' attendees:
	// table draws each one's signature into the row's last cell.
	sigs []Attendee
}

// renderPDF lays the minutes out on A4 pages with fpdf.
func renderPDF(m *Model) ([]byte, error) {
	f := newPDF(m.L.Minutes+" — "+m.Title, m.Date, m.Made)
	d := &pdfDoc{Fpdf: f, m: m}
	f.SetFooterFunc(d.footer)
	f.AddPage()

	d.head()
	d.discussion()
	d.screening()
	d.priorities()
	d.figures()
	d.innovations()
	d.units()
	d.conclusions()
	d.actions()
	d.signatures()
	f.AddPage() // the attendance list is an attachment on its own page
	d.attendance()
	d.photos()

	return pdfBytes(f)
}

// newPDF starts an A4 document with the house's margins, fonts and
// metadata; every PDF of the minutes and the evidence pack begins here.
func newPDF(title, subject string, made time.Time) *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(pdfLeft, pdfTop, pdfRight)
	f.SetAutoPageBreak(true, pdfBottom)
	f.AddUTF8FontFromBytes("DejaVu", "", fontRegular)
	f.AddUTF8FontFromBytes("DejaVu", "B", fontBold)
	f.SetTitle(title, true)
	f.SetSubject(subject, true)
	f.SetCreator("Rembuk", true)
	f.SetCreationDate(made)
	f.SetModificationDate(made)
	f.SetCatalogSort(true) // same input, same bytes
	// fpdf starts a fresh zlib writer for every page; on a 5,000-note board
	// that alone costs more than drawing the pages. Uncompressed pages make
	// a typical file ~25% larger (the fonts stay compressed) and keep the
	// largest board well inside its time budget.
	f.SetCompression(false)
	f.AliasNbPages("{nb}")
	return f
}

// pdfBytes finishes a document.
func pdfBytes(f *fpdf.Fpdf) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("minutes: pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// pdfText makes user text safe for fpdf: its width tables stop at U+FFFF
// and control characters draw as boxes.
func pdfText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r > 0xFFFF:
			return '?'
		case r < 0x20 || (r >= 0x7F && r < 0xA0):
			return ' '
		}
		return r
	}, s)
}
