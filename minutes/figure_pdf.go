package minutes

import (
	"fmt"
	"strconv"

	"github.com/go-pdf/fpdf"

	"rembuk/diagram"
)

// figureColours are the fills and strokes per node kind, as diagram.SVG
// draws them (black text keeps 4.5:1 on each fill, and kinds stay apart
// printed in grey).
var figureColours = map[diagram.Kind][2]string{
	diagram.KindProblem:    {"#fde2e1", "#b42318"},
	diagram.KindCause:      {"#fff3c4", "#a15c07"},
	diagram.KindEffect:     {"#dbe8ff", "#1d4ed8"},
	diagram.KindInnovation: {"#dcfce7", "#15803d"},
	diagram.KindOther:      {"#f2f4f7", "#475467"},
	diagram.KindMore:       {"#ffffff", "#667085"},
}

// rgb parses "#rrggbb".
func rgb(hex string) (int, int, int) {
	v, _ := strconv.ParseUint(hex[1:], 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

// figures draws each figure's two diagrams, each on a page of its own:
// landscape when the drawing is wider than tall. The drawing is scaled to
// the page's usable width (or height), from the layout's own coordinates.
func (d *pdfDoc) figures() {
	m := d.m
	if len(m.Figures) == 0 {
		return
	}
	for i, f := range m.Figures {
		for _, v := range []struct {
			l   diagram.Layout
			cap string
		}{{f.Fishbone, m.L.FishboneCap}, {f.Tree, m.L.TreeCap}} {
			d.figurePage(i == 0 && v.l.View == "fishbone", v.l, fmt.Sprintf(v.cap, f.Problem))
		}
	}
	d.AddPageFormat("P", fpdf.SizeType{Wd: 210, Ht: pdfPageH})
}

func (d *pdfDoc) figurePage(first bool, l diagram.Layout, caption string) {
	pw, ph := 210.0, pdfPageH
	orient := "P"
	if l.Width > l.Height {
		pw, ph, orient = pdfPageH, 210.0, "L"
	}
	d.AddPageFormat(orient, fpdf.SizeType{Wd: 210, Ht: pdfPageH})
	if first {
		d.font(true, 12)
		d.para(pdfLeft, pw-pdfLeft-pdfRight, 7, d.m.L.Figures)
	}
	d.font(true, 10)
	d.para(pdfLeft, pw-pdfLeft-pdfRight, 5, caption)
	d.Ln(2)
	top := d.GetY()
	availW, availH := pw-pdfLeft-pdfRight, ph-top-pdfBottom-4
	if l.Width <= 0 || l.Height <= 0 {
		return
	}
	// mm per layout px: fit the page, but no larger than 14 px → 12 pt.
	s := min(availW/l.Width, availH/l.Height, 0.3)
	ox, oy := pdfLeft+(availW-l.Width*s)/2, top
	X := func(x float64) float64 { return ox + x*s }
	Y := func(y float64) float64 { return oy + y*s }
	poly := func(pts [][2]float64) {
		for j := 1; j < len(pts); j++ {
			d.Line(X(pts[j-1][0]), Y(pts[j-1][1]), X(pts[j][0]), Y(pts[j][1]))
		}
	}
	d.SetDrawColor(rgb("#344054"))
	for _, st := range l.Strokes {
		w := 2.0
		if st.Kind == "spine" {
			w = 4
		}
		d.SetLineWidth(w * s)
		poly(st.Points)
	}
	d.SetDrawColor(rgb("#475467"))
	d.SetLineWidth(1.5 * s)
	for _, e := range l.Edges {
		poly(e.Points)
	}
	pt := l.FontSize * s * 72 / 25.4 // the layout's px size, in points on paper
	text := func(x, y float64, lines []string, centre bool, w float64) {
		for i, ln := range lines {
			ln = pdfText(ln)
			by := Y(y + l.PadY + float64(i)*l.LineHeight + l.BaselineOffset)
			tx := X(x + l.PadX)
			if centre {
				tx = X(x+w/2) - d.GetStringWidth(ln)/2
			}
			d.Text(tx, by, ln)
		}
	}
	for _, lb := range l.Labels {
		d.SetFillColor(rgb("#344054"))
		d.RoundedRect(X(lb.X), Y(lb.Y), lb.W*s, lb.H*s, 4*s, "1234", "F")
		d.font(true, pt)
		d.SetTextColor(255, 255, 255)
		text(lb.X, lb.Y, lb.Lines, true, lb.W)
	}
	d.SetTextColor(16, 24, 40)
	for _, n := range l.Nodes {
		c, ok := figureColours[n.Kind]
		if !ok {
			c = figureColours[diagram.KindOther]
		}
		d.SetFillColor(rgb(c[0]))
		d.SetDrawColor(rgb(c[1]))
		d.SetLineWidth(map[bool]float64{true: 2.5, false: 1.5}[n.Depth == 0] * s)
		d.RoundedRect(X(n.X), Y(n.Y), n.W*s, n.H*s, 6*s, "1234", "FD")
		d.font(n.Depth == 0, pt)
		text(n.X, n.Y, n.Lines, false, n.W)
	}
	d.SetTextColor(0, 0, 0)
	d.SetDrawColor(0, 0, 0)
	d.SetLineWidth(0.2)
	d.font(false, 10)
}
