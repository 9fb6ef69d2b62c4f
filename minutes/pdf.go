package minutes

import (
	"bytes"
	_ "embed"
	"fmt"
	"strconv"
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

func (d *pdfDoc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.SetFont("DejaVu", style, size)
}

func (d *pdfDoc) grey(on bool) {
	if on {
		d.SetTextColor(85, 85, 85)
	} else {
		d.SetTextColor(0, 0, 0)
	}
}

func (d *pdfDoc) footer() {
	d.SetY(-13)
	d.font(false, 8)
	d.grey(true)
	d.CellFormat(pdfWidth/2, 5, pdfText(oneLine(d.m.Title)), "", 0, "L", false, 0, "")
	d.CellFormat(pdfWidth/2, 5, fmt.Sprintf(d.m.L.Page, d.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	d.grey(false)
}

// para writes a wrapped paragraph at the current x, width w.
// Most notes fit on one line; those skip MultiCell's wrapping pass,
// which on a full board is a good part of the PDF's time.
func (d *pdfDoc) para(x, w, h float64, text string) {
	text = pdfText(text)
	d.SetX(x)
	if !strings.Contains(text, "\n") && d.GetStringWidth(text) <= w-2*d.GetCellMargin() {
		d.CellFormat(w, h, text, "", 2, "L", false, 0, "")
		d.SetX(x)
		return
	}
	d.MultiCell(w, h, text, "", "L", false)
}

func (d *pdfDoc) heading(text string) {
	d.Ln(3)
	d.keep(14)
	d.font(true, 12)
	d.para(pdfLeft, pdfWidth, 7, text)
	d.Ln(1)
	d.font(false, 10)
}

// keep starts a new page when less than h mm remain, so a heading never
// stands alone at the bottom of a page.
func (d *pdfDoc) keep(h float64) {
	if d.GetY()+h > pdfPageH-pdfBottom {
		d.AddPage()
	}
}

func (d *pdfDoc) head() {
	m := d.m
	if m.Unit != "" {
		d.kop([]string{m.Unit})
	}
	d.SetFont("DejaVu", "BU", 15)
	d.CellFormat(pdfWidth, 8, strings.ToUpper(m.L.Minutes), "", 1, "C", false, 0, "")
	d.font(true, 12)
	d.SetX(pdfLeft)
	d.MultiCell(pdfWidth, 6, pdfText(oneLine(m.Title)), "", "C", false)
	d.Ln(5)
	const labelW = 38
	for _, f := range m.HeadFields() {
		d.font(false, 10.5)
		y := d.GetY()
		d.SetX(pdfLeft)
		d.CellFormat(labelW, 5.5, f.Label, "", 0, "L", false, 0, "")
		d.CellFormat(4, 5.5, ":", "", 0, "L", false, 0, "")
		d.SetXY(pdfLeft+labelW+4, y)
		d.MultiCell(pdfWidth-labelW-4, 5.5, pdfText(f.Value), "", "L", false)
	}
}

// kop draws the letterhead: its lines centred, the first (the office) in
// capitals, over a thick and a thin rule.
func (d *pdfDoc) kop(lines []string) {
	for i, ln := range lines {
		if i == 0 {
			d.font(true, 12)
			ln = strings.ToUpper(ln)
		} else {
			d.font(false, 9.5)
		}
		d.SetX(pdfLeft)
		d.MultiCell(pdfWidth, 5.5, pdfText(oneLine(ln)), "", "C", false)
	}
	y := d.GetY() + 1
	d.SetLineWidth(0.6)
	d.Line(pdfLeft, y, pdfLeft+pdfWidth, y)
	d.SetLineWidth(0.2)
	d.Line(pdfLeft, y+1, pdfLeft+pdfWidth, y+1)
	d.Ln(6)
}

// item writes a note or group: its text, then a grey line with the
// unrevealed mark, the author and the stats.
func (d *pdfDoc) item(x float64, dash bool, it Item, bold bool) {
	d.keep(10)
	d.bullet(x, dash)
	d.font(bold, 10)
	d.para(x+4, pdfLeft+pdfWidth-x-4, 5, strings.TrimSpace(it.Text))
	var extra []string
	for _, s := range []string{it.Mark, it.Author, it.Stats} {
		if s != "" {
			extra = append(extra, s)
		}
	}
	if len(extra) > 0 {
		d.font(false, 8.5)
		d.grey(true)
		d.para(x+4, pdfLeft+pdfWidth-x-4, 4.2, strings.Join(extra, " · "))
		d.grey(false)
	}
	d.Ln(0.8)
}

// bullet draws a list mark as a shape rather than a glyph: a 5,000-note
// board has 5,000 of them, and a text cell costs fpdf several times more.
func (d *pdfDoc) bullet(x float64, dash bool) {
	y := d.GetY() + 2.25
	if dash {
		d.SetLineWidth(0.25)
		d.Line(x+0.4, y, x+2.4, y)
		return
	}
	d.Rect(x+0.8, y-0.55, 1.1, 1.1, "F") // fill is black outside tables
}

func (d *pdfDoc) discussion() {
	m := d.m
	d.heading(m.L.Discussion)
	if m.AnonymousNote != "" {
		d.grey(true)
		d.para(pdfLeft, pdfWidth, 5, m.AnonymousNote)
		d.grey(false)
	}
	for _, c := range m.Discussion {
		d.Ln(1.5)
		d.keep(12)
		d.font(true, 10.5)
		d.para(pdfLeft, pdfWidth, 6, oneLine(c.Title))
		if c.Empty() {
			d.font(false, 10)
			d.grey(true)
			d.para(pdfLeft+4, pdfWidth-4, 5, m.L.NoNotes)
			d.grey(false)
		}
		for _, g := range c.Groups {
			d.item(pdfLeft+2, false, g.Item, true)
			for _, n := range g.Notes {
				d.item(pdfLeft+8, true, n, false)
			}
		}
		for _, n := range c.Notes {
			d.item(pdfLeft+2, false, n, false)
		}
	}
}

// table draws a bordered table with a repeated grey header row. Rows grow
// to fit their wrapped text; right marks the columns aligned right.
func (d *pdfDoc) table(widths []float64, head []string, rows [][]string, right map[int]bool, rowMin float64) {
	const lineH, pad = 4.3, 1.2
	d.SetLineWidth(0.2)
	d.SetFillColor(231, 231, 231)
	var drawRow func(cells []string, header bool) (y, h float64)
	drawRow = func(cells []string, header bool) (float64, float64) {
		d.font(header, 9)
		split := make([][]string, len(cells))
		h := rowMin
		for i, c := range cells {
			split[i] = d.SplitText(pdfText(c), widths[i]-2*pad+2*d.GetCellMargin())
			if len(split[i]) == 0 {
				split[i] = []string{""}
			}
			h = max(h, float64(len(split[i]))*lineH+2*pad)
		}
		if d.GetY()+h > pdfPageH-pdfBottom && !header {
			d.AddPage()
			drawRow(head, true)
			d.font(false, 9)
		}
		x, y := pdfLeft, d.GetY()
		for i, ls := range split {
			style := "D"
			if header {
				style = "FD"
			}
			d.Rect(x, y, widths[i], h, style)
			align := "L"
			if header {
				align = "C"
			} else if right[i] {
				align = "R"
			}
			for j, ln := range ls {
				d.SetXY(x+pad-d.GetCellMargin(), y+pad+float64(j)*lineH)
				d.CellFormat(widths[i]-2*pad+2*d.GetCellMargin(), lineH, ln, "", 0, align, false, 0, "")
			}
			x += widths[i]
		}
		d.SetXY(pdfLeft, y+h)
		return y, h
	}
	d.keep(20)
	drawRow(head, true)
	for i, r := range rows {
		y, h := drawRow(r, false)
		if i < len(d.sigs) {
			last := len(widths) - 1
			d.signature(d.sigs[i].Strokes, pdfLeft+pdfWidth-widths[last], y, widths[last], h)
		}
	}
	d.font(false, 10)
	d.SetFillColor(0, 0, 0)
}

var pdfNumbers = map[int]bool{0: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true}

func (d *pdfDoc) priorities() {
	m := d.m
	d.heading(m.L.Priorities)
	if n := m.priorityNote(); n != "" {
		d.font(false, 9)
		d.para(pdfLeft, pdfWidth, 4.5, n)
		d.font(false, 10)
	}
	rows := make([][]string, 0, len(m.Priorities))
	for _, p := range m.Priorities {
		rows = append(rows, []string{strconv.Itoa(p.No), oneLine(withMark(p.Text, p.Mark)), p.U, p.S, p.G, p.Total,
			strconv.Itoa(p.Raters), strconv.Itoa(p.Votes)})
	}
	if len(rows) == 0 {
		rows = append(rows, []string{"", m.L.None, "", "", "", "", "", ""})
	}
	d.table([]float64{9, 76, 12, 12, 12, 14, 15, 15}, m.PriorityHead(), rows, pdfNumbers, 0)
}

func (d *pdfDoc) innovations() {
	m := d.m
	d.heading(m.L.Innovations)
	for _, in := range m.Innovations {
		it := in.Item
		if len(in.Answers) > 0 {
			it.Stats = strings.TrimPrefix(it.Stats+" · "+m.L.Answers+": "+strings.Join(in.Answers, "; "), " · ")
		}
		d.item(pdfLeft+2, false, it, false)
	}
	if len(m.Innovations) == 0 {
		d.para(pdfLeft, pdfWidth, 5, m.L.None)
	}
}

func (d *pdfDoc) conclusions() {
	m := d.m
	d.heading(m.L.Conclusions)
	for _, c := range m.Conclusions {
		d.keep(10)
		d.font(true, 10)
		d.bullet(pdfLeft+2, false)
		d.para(pdfLeft+6, pdfWidth-6, 5, oneLine(c.Target)+":")
		d.font(false, 10)
		d.para(pdfLeft+6, pdfWidth-6, 5, c.Text)
		d.Ln(1)
	}
	if len(m.Conclusions) == 0 {
		d.para(pdfLeft, pdfWidth, 5, m.L.None)
	}
}

func (d *pdfDoc) actions() {
	m := d.m
	d.heading(m.L.Actions)
	rows := make([][]string, 0, len(m.Actions))
	for _, a := range m.Actions {
		act := oneLine(a.Text)
		if a.Target != "" {
			act += " (" + oneLine(a.Target) + ")"
		}
		rows = append(rows, []string{strconv.Itoa(a.No), act, oneLine(a.Owner), a.Due, a.Status})
	}
	if len(rows) == 0 {
		rows = append(rows, []string{"", m.L.None, "", "", ""})
	}
	d.table([]float64{9, 66, 31, 42, 17}, m.ActionHead(), rows, map[int]bool{0: true}, 0)
}

func (d *pdfDoc) attendance() {
	m := d.m
	d.font(true, 13)
	d.CellFormat(pdfWidth, 7, strings.ToUpper(m.L.Attendance), "", 1, "C", false, 0, "")
	d.font(false, 10)
	d.SetX(pdfLeft)
	d.MultiCell(pdfWidth, 5, pdfText(oneLine(m.Title)+"\n"+m.Date+", "+m.Time), "", "C", false)
	d.Ln(4)
	rows := make([][]string, 0, len(m.Attendance))
	for _, a := range m.Attendance {
		rows = append(rows, []string{strconv.Itoa(a.No), oneLine(a.Name), a.NIP, oneLine(a.Jabatan), oneLine(a.Unit), a.RoleLabel, a.Time, ""})
	}
	d.sigs = m.Attendance // table draws each row's signature in its last cell (signatures.go)
	d.table(pdfAttendCols, m.AttendanceHead(), rows, map[int]bool{0: true}, 10)
	d.sigs = nil
}
