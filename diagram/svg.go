package diagram

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
)

// SVGOptions tune SVG.
type SVGOptions struct {
	// Title names the figure for screen readers (<title>); default: the
	// view's name and the problem's text.
	Title string
	// Desc, when set, becomes the <desc>.
	Desc string
	// IDPrefix keeps the title's id unique when several SVGs share one
	// HTML page; default "diagram".
	IDPrefix string
}

// Fills and strokes per node kind; the colours keep 4.5:1 contrast for
// black text and still tell kinds apart printed in grey.
var kindStyle = map[Kind][2]string{
	KindProblem:    {"#fde2e1", "#b42318"},
	KindCause:      {"#fff3c4", "#a15c07"},
	KindEffect:     {"#dbe8ff", "#1d4ed8"},
	KindInnovation: {"#dcfce7", "#15803d"},
	KindOther:      {"#f2f4f7", "#475467"},
	KindMore:       {"#ffffff", "#667085"},
}

// SVG draws l as a standalone, accessible SVG document: role="img" with a
// <title>, each node a <g> with its own <title> (the note's full text),
// all text XML-escaped. Text is DejaVu Sans at l.FontSize (14 px by
// default, the smallest size drawn; labels and the problem in bold);
// width and height are the layout's, and the viewBox lets a printer or a
// page scale it — see docs/protocol.md for what that means on A4.
func SVG(l Layout, opts SVGOptions) []byte {
	if opts.IDPrefix == "" {
		opts.IDPrefix = "diagram"
	}
	if opts.Title == "" {
		opts.Title = defaultTitle(l)
	}
	opts.Title, opts.Desc = Clean(opts.Title), Clean(opts.Desc)
	var w bytes.Buffer
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	tid := esc(opts.IDPrefix) + "-title"
	w.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" role="img"`)
	w.WriteString(` width="` + num(l.Width) + `" height="` + num(l.Height) + `" viewBox="0 0 ` + num(l.Width) + ` ` + num(l.Height) + `"`)
	labelled := tid
	if opts.Desc != "" {
		labelled += " " + esc(opts.IDPrefix) + "-desc"
	}
	w.WriteString(` aria-labelledby="` + labelled + `"`)
	w.WriteString(` font-family="DejaVu Sans, Verdana, sans-serif" font-size="` + num(l.FontSize) + `">` + "\n")
	w.WriteString(`<title id="` + tid + `">` + esc(opts.Title) + "</title>\n")
	if opts.Desc != "" {
		w.WriteString(`<desc id="` + esc(opts.IDPrefix) + `-desc">` + esc(opts.Desc) + "</desc>\n")
	}
	w.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n")
	poly := func(pts [][2]float64, attrs string) {
		var s []string
		for _, p := range pts {
			s = append(s, num(p[0])+","+num(p[1]))
		}
		w.WriteString(`<polyline points="` + strings.Join(s, " ") + `" fill="none" ` + attrs + "/>\n")
	}
	for _, s := range l.Strokes {
		width := "2"
		if s.Kind == "spine" {
			width = "4"
		}
		poly(s.Points, `stroke="#344054" stroke-width="`+width+`" stroke-linecap="round"`)
	}
	for _, e := range l.Edges {
		poly(e.Points, `stroke="#475467" stroke-width="1.5" stroke-linejoin="round"`)
	}
	for _, lb := range l.Labels {
		w.WriteString(`<g><title>` + esc(lb.Text) + "</title>")
		w.WriteString(`<rect x="` + num(lb.X) + `" y="` + num(lb.Y) + `" width="` + num(lb.W) + `" height="` + num(lb.H) + `" rx="4" fill="#344054"/>`)
		cx := num(round(lb.X + lb.W/2))
		for i, ln := range lb.Lines {
			y := round(lb.Y + l.PadY + float64(i)*l.LineHeight + l.BaselineOffset)
			w.WriteString(`<text x="` + cx + `" y="` + num(y) + `" text-anchor="middle" font-weight="bold" fill="#ffffff">` + esc(ln) + `</text>`)
		}
		w.WriteString("</g>\n")
	}
	for _, n := range l.Nodes {
		st, ok := kindStyle[n.Kind]
		if !ok {
			st = kindStyle[KindOther]
		}
		w.WriteString(`<g data-id="` + esc(n.ID) + `" data-kind="` + esc(string(n.Kind)) + `"><title>` + esc(n.Text) + "</title>")
		dash := ""
		if n.Kind == KindMore {
			dash = ` stroke-dasharray="4 3"`
		}
		sw := "1.5"
		if n.Depth == 0 {
			sw = "2.5"
		}
		w.WriteString(`<rect x="` + num(n.X) + `" y="` + num(n.Y) + `" width="` + num(n.W) + `" height="` + num(n.H) +
			`" rx="6" fill="` + st[0] + `" stroke="` + st[1] + `" stroke-width="` + sw + `"` + dash + `/>`)
		weight := ""
		if n.Depth == 0 {
			weight = ` font-weight="bold"`
		}
		for i, ln := range n.Lines {
			y := round(n.Y + l.PadY + float64(i)*l.LineHeight + l.BaselineOffset)
			w.WriteString(`<text x="` + num(round(n.X+l.PadX)) + `" y="` + num(y) + `"` + weight + ` fill="#101828">` + esc(ln) + `</text>`)
		}
		w.WriteString("</g>\n")
	}
	w.WriteString("</svg>\n")
	return w.Bytes()
}

// defaultTitle names the view and its problem.
func defaultTitle(l Layout) string {
	name := "Diagram tulang ikan"
	if l.View == "tree" {
		name = "Pohon masalah"
	}
	for _, n := range l.Nodes {
		if n.Depth == 0 {
			return name + ": " + n.Text
		}
	}
	return name
}

// esc escapes text for XML content and attribute values; characters XML
// cannot carry become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
