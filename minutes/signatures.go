package minutes

import (
	"strconv"
	"strings"

	"rembuk/board"
)

// Signatures in the attendance list (daftar hadir). A signature is the
// participant's vector path (board.ParseSignature): strokes of integer
// points in a board.SignatureWidth×SignatureHeight box. Each format draws
// it as vectors: PDF with lines, DOCX as a VML shape, HTML as an inline
// SVG path; Markdown says "✓".

// pdfAttendCols are the attendance table's column widths in mm (sum pdfWidth).
var pdfAttendCols = []float64{8, 30, 22, 22, 24, 18, 19, 22}

// signature draws strokes into the cell at (x, y) of w×h, fitted with a
// margin and the box's aspect kept.
func (d *pdfDoc) signature(strokes [][]board.Point, x, y, w, h float64) {
	if len(strokes) == 0 {
		return
	}
	const pad = 1.0
	sw, sh := float64(board.SignatureWidth), float64(board.SignatureHeight)
	scale := min((w-2*pad)/sw, (h-2*pad)/sh)
	ox := x + (w-sw*scale)/2
	oy := y + (h-sh*scale)/2
	d.SetDrawColor(0, 0, 0)
	d.SetLineWidth(0.3)
	d.SetLineCapStyle("round")
	d.SetLineJoinStyle("round")
	for _, st := range strokes {
		if len(st) == 1 { // a dot
			p := st[0]
			d.Line(ox+float64(p.X)*scale, oy+float64(p.Y)*scale, ox+float64(p.X)*scale+0.01, oy+float64(p.Y)*scale)
			continue
		}
		for i := 1; i < len(st); i++ {
			a, b := st[i-1], st[i]
			d.Line(ox+float64(a.X)*scale, oy+float64(a.Y)*scale, ox+float64(b.X)*scale, oy+float64(b.Y)*scale)
		}
	}
	d.SetLineCapStyle("butt")
	d.SetLineJoinStyle("miter")
	d.SetLineWidth(0.2)
}

// vmlPath writes strokes as a VML path ("m10,20l11,21,12,22e"): only
// integers and the letters m, l and e, so it needs no escaping.
func vmlPath(strokes [][]board.Point) string {
	var b strings.Builder
	for _, st := range strokes {
		for i, p := range st {
			switch i {
			case 0:
				b.WriteByte('m')
			case 1:
				b.WriteByte('l')
			default:
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p.X))
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(p.Y))
		}
		if len(st) == 1 { // a dot: a line to itself
			b.WriteString("l" + strconv.Itoa(st[0].X) + "," + strconv.Itoa(st[0].Y))
		}
	}
	if b.Len() > 0 {
		b.WriteByte('e')
	}
	return b.String()
}

// docxSig is the attendance table's signature cell.
type docxSig struct {
	W    int
	Path string // VML path, "" when unsigned
	Box  string // "300,100"
}

func sigCell(w int, a Attendee) docxSig {
	return docxSig{W: w, Path: vmlPath(a.Strokes), Box: strconv.Itoa(board.SignatureWidth) + "," + strconv.Itoa(board.SignatureHeight)}
}

// signedMark is a signature in a text-only format.
func signedMark(a Attendee, l *Labels) string {
	if a.Signature != "" {
		return l.Signed
	}
	return " "
}
