package diagram

import "math"

// canvas gathers a layout in free coordinates; finish moves it into
// [margin, …] and sizes it.
type canvas struct {
	b       *builder
	view    string
	nodes   []Node
	edges   []Edge
	labels  []Label
	strokes []Line
}

func (c *canvas) addBlock(bl block, dx, dy float64) {
	for _, n := range bl.nodes {
		n.X += dx
		n.Y += dy
		c.nodes = append(c.nodes, n)
	}
	for _, e := range bl.edges {
		c.edges = append(c.edges, shift(e, dx, dy))
	}
}

// finish translates everything so the top-left-most point sits at
// (margin, margin), rounds coordinates to 0.1 (sizes up, so boxes never
// shrink below their text) and sets Width and Height.
func (c *canvas) finish() Layout {
	b := c.b
	margin := b.o.FontSize
	l := Layout{View: c.view, FontSize: b.o.FontSize, LineHeight: round(b.lh),
		BaselineOffset: round(b.lh/2 + 0.35*b.o.FontSize), PadX: round(b.padX), PadY: round(b.padY),
		Nodes: c.nodes, Edges: c.edges, Labels: c.labels, Strokes: c.strokes}
	if l.Nodes == nil {
		l.Nodes = []Node{}
	}
	if l.Edges == nil {
		l.Edges = []Edge{}
	}
	if l.Labels == nil {
		l.Labels = []Label{}
	}
	if l.Strokes == nil {
		l.Strokes = []Line{}
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	grow := func(x, y float64) {
		minX, minY = min(minX, x), min(minY, y)
		maxX, maxY = max(maxX, x), max(maxY, y)
	}
	for _, n := range l.Nodes {
		grow(n.X, n.Y)
		grow(n.X+n.W, n.Y+n.H)
	}
	for _, lb := range l.Labels {
		grow(lb.X, lb.Y)
		grow(lb.X+lb.W, lb.Y+lb.H)
	}
	for _, e := range l.Edges {
		for _, p := range e.Points {
			grow(p[0], p[1])
		}
	}
	for _, s := range l.Strokes {
		for _, p := range s.Points {
			grow(p[0], p[1])
		}
	}
	if math.IsInf(minX, 1) {
		l.Width, l.Height = 2*margin, 2*margin
		return l
	}
	dx, dy := margin-minX, margin-minY
	// Positions are rounded to 0.1 after the shift; every size is a
	// multiple of 0.1 already or rounded up, so rounding keeps gaps.
	for i := range l.Nodes {
		n := &l.Nodes[i]
		n.X, n.Y, n.W, n.H = round(n.X+dx), round(n.Y+dy), roundUp(n.W), roundUp(n.H)
	}
	for i := range l.Labels {
		lb := &l.Labels[i]
		lb.X, lb.Y, lb.W, lb.H = round(lb.X+dx), round(lb.Y+dy), roundUp(lb.W), roundUp(lb.H)
	}
	for i := range l.Edges {
		l.Edges[i] = shift(l.Edges[i], dx, dy)
		roundPoints(l.Edges[i].Points)
	}
	for i := range l.Strokes {
		pts := make([][2]float64, len(l.Strokes[i].Points))
		for j, p := range l.Strokes[i].Points {
			pts[j] = [2]float64{p[0] + dx, p[1] + dy}
		}
		roundPoints(pts)
		l.Strokes[i].Points = pts
	}
	l.Width = math.Ceil(maxX-minX+2*margin) + 1
	l.Height = math.Ceil(maxY-minY+2*margin) + 1
	return l
}

func round(v float64) float64   { return math.Round(v*10) / 10 }
func roundUp(v float64) float64 { return math.Ceil(v*10-1e-6) / 10 }

func roundPoints(pts [][2]float64) {
	for i := range pts {
		pts[i] = [2]float64{round(pts[i][0]), round(pts[i][1])}
	}
}
