package minutes

import (
	"fmt"
	"strings"
)

// The PDF's drawing helpers: fonts, paragraphs, headings, page breaks, the
// letterhead, list items and tables. The sections of the minutes (pdf_sections.go)
// and the letter and pack documents are written with them.

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
