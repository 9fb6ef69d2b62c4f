package minutes

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"rembuk/diagram"
)

// pngScale is pixels per layout px: twice the screen size, so a figure
// printed at the page's width stays sharp.
const pngScale = 2.0

// figureFonts are DejaVu Sans (the font the layout measured) parsed once
// per document.
type figureFonts struct{ regular, bold *opentype.Font }

func parseFigureFonts() (*figureFonts, error) {
	r, err := opentype.Parse(fontRegular)
	if err != nil {
		return nil, err
	}
	b, err := opentype.Parse(fontBold)
	if err != nil {
		return nil, err
	}
	return &figureFonts{regular: r, bold: b}, nil
}

func hexColour(hex string) color.RGBA {
	r, g, b := rgb(hex)
	return color.RGBA{uint8(r), uint8(g), uint8(b), 255}
}

// figurePNG rasterises a layout from its own coordinates, as diagram.SVG
// and the PDF draw it: strokes, edges, label and node boxes, wrapped text.
func figurePNG(l diagram.Layout, ff *figureFonts) ([]byte, error) {
	k := pngScale
	w, h := int(math.Ceil(l.Width*k)), int(math.Ceil(l.Height*k))
	img := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	// One rasterizer per colour: its segments' coverage adds up, clamped.
	strokes := vector.NewRasterizer(img.Bounds().Dx(), img.Bounds().Dy())
	line := func(z *vector.Rasterizer, pts [][2]float64, width float64) {
		for j := 1; j < len(pts); j++ {
			segment(z, pts[j-1][0]*k, pts[j-1][1]*k, pts[j][0]*k, pts[j][1]*k, width*k)
		}
	}
	for _, s := range l.Strokes {
		width := 2.0
		if s.Kind == "spine" {
			width = 4
		}
		line(strokes, s.Points, width)
	}
	strokes.Draw(img, img.Bounds(), image.NewUniform(hexColour("#344054")), image.Point{})
	edges := vector.NewRasterizer(img.Bounds().Dx(), img.Bounds().Dy())
	for _, e := range l.Edges {
		line(edges, e.Points, 1.5)
	}
	edges.Draw(img, img.Bounds(), image.NewUniform(hexColour("#475467")), image.Point{})
	faces := map[bool]font.Face{}
	for bold, f := range map[bool]*opentype.Font{false: ff.regular, true: ff.bold} {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: l.FontSize * k, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		defer face.Close()
		faces[bold] = face
	}
	text := func(x, y, bw float64, lines []string, bold, centre bool, c color.RGBA) {
		d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: faces[bold]}
		for i, ln := range lines {
			tx := (x + l.PadX) * k
			if centre {
				tx = (x+bw/2)*k - float64(d.MeasureString(ln))/64/2
			}
			ty := (y + l.PadY + float64(i)*l.LineHeight + l.BaselineOffset) * k
			d.Dot = fixed.Point26_6{X: fixed.Int26_6(tx * 64), Y: fixed.Int26_6(ty * 64)}
			d.DrawString(ln)
		}
	}
	box := func(x, y, bw, bh, border float64, fill, stroke color.RGBA) {
		r := image.Rect(int(x*k), int(y*k), int((x+bw)*k), int((y+bh)*k))
		draw.Draw(img, r, image.NewUniform(stroke), image.Point{}, draw.Src)
		b := int(math.Max(1, border*k))
		draw.Draw(img, r.Inset(b), image.NewUniform(fill), image.Point{}, draw.Src)
	}
	for _, lb := range l.Labels {
		box(lb.X, lb.Y, lb.W, lb.H, 0, hexColour("#344054"), hexColour("#344054"))
		text(lb.X, lb.Y, lb.W, lb.Lines, true, true, color.RGBA{255, 255, 255, 255})
	}
	for _, n := range l.Nodes {
		c, ok := figureColours[n.Kind]
		if !ok {
			c = figureColours[diagram.KindOther]
		}
		border := 1.5
		if n.Depth == 0 {
			border = 2.5
		}
		box(n.X, n.Y, n.W, n.H, border, hexColour(c[0]), hexColour(c[1]))
		text(n.X, n.Y, n.W, n.Lines, n.Depth == 0, false, hexColour("#101828"))
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// segment adds to z the quadrilateral of a line of width w from (x0,y0)
// to (x1,y1), its ends pushed out by half the width so the joints of a
// polyline meet.
func segment(z *vector.Rasterizer, x0, y0, x1, y1, w float64) {
	dx, dy := x1-x0, y1-y0
	n := math.Hypot(dx, dy)
	if n == 0 {
		return
	}
	nx, ny := -dy/n*w/2, dx/n*w/2
	ex, ey := dx/n*w/2, dy/n*w/2
	z.MoveTo(float32(x0-ex+nx), float32(y0-ey+ny))
	z.LineTo(float32(x1+ex+nx), float32(y1+ey+ny))
	z.LineTo(float32(x1+ex-nx), float32(y1+ey-ny))
	z.LineTo(float32(x0-ex-nx), float32(y0-ey-ny))
	z.ClosePath()
}
