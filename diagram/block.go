package diagram

import (
	"fmt"
	"math"
)

// builder holds the options and the metrics derived from them.
type builder struct {
	o      Options
	lh     float64 // line height
	padX   float64
	padY   float64
	indent float64 // a cause of a cause sits this much further in
	gap    float64 // vertical gap between boxes of one stack
}

func newBuilder(o Options) *builder {
	fs := o.FontSize
	return &builder{o: o, lh: fs * 1.3, padX: fs * 0.6, padY: fs * 0.45, indent: fs * 2, gap: fs * 0.7}
}

// box sizes a node for text at width w (the box's outer width).
func (b *builder) box(id string, kind Kind, text string, w float64, maxLines, depth int) Node {
	bold := depth == 0 // the head or trunk
	text = Clean(text)
	lines := Wrap(text, w-2*b.padX, b.o.FontSize, bold, maxLines)
	if len(lines) == 0 {
		lines = []string{}
	}
	return Node{ID: id, Kind: kind, W: roundUp(w), H: roundUp(b.height(max(len(lines), 1))), Text: text, Lines: lines, Depth: depth}
}

func (b *builder) height(lines int) float64 { return 2*b.padY + float64(lines)*b.lh }

// more is a "+N lainnya" node, as narrow as its text allows.
func (b *builder) more(id string, n, depth int) Node {
	text := fmt.Sprintf(b.o.Text.More, n)
	w := math.Ceil(TextWidth(text, b.o.FontSize, false) + 2*b.padX + 2)
	nd := b.box(id, KindMore, text, min(w, b.o.BoxWidth), 2, depth)
	nd.Overflow = n
	return nd
}

// noteNode is a note's box at the standard width.
func (b *builder) noteNode(t *tnode) Node {
	kind := t.note.Kind
	if kind == "" {
		kind = KindOther
	}
	return b.box(t.note.ID, kind, t.note.Text, b.o.BoxWidth, b.o.MaxLines, t.depth)
}

// block is a cause with its own causes stacked below it, each indented
// and joined to it by an edge that leaves the child's side, runs along a
// vertical bus and ends on the parent's bottom border. Coordinates are
// relative to the block's top left; nodes[0] is the cause itself.
type block struct {
	w, h  float64
	nodes []Node
	edges []Edge
}

// causeBlock builds t's block. With mirror the children hang to the left
// (the fishbone, whose bone is on the right), else to the right.
func (b *builder) causeBlock(t *tnode, mirror bool) block {
	top := b.noteNode(t)
	bl := block{w: top.W, h: top.H, nodes: []Node{top}}
	busX := b.indent / 2
	add := func(child block) {
		y := bl.h + b.gap
		for _, n := range child.nodes {
			n.X += b.indent
			n.Y += y
			bl.nodes = append(bl.nodes, n)
		}
		for _, e := range child.edges {
			bl.edges = append(bl.edges, shift(e, b.indent, y))
		}
		c := child.nodes[0]
		mid := y + c.H/2
		bl.edges = append(bl.edges, Edge{From: c.ID, To: top.ID, Kind: LinkCause,
			Points: [][2]float64{{b.indent, mid}, {busX, mid}, {busX, top.H}}})
		bl.w = max(bl.w, b.indent+child.w)
		bl.h = y + child.h
	}
	shown := t.children
	if len(shown) > b.o.MaxChildren {
		shown = shown[:b.o.MaxChildren]
	}
	for _, c := range shown {
		add(b.causeBlock(c, false))
	}
	if n := len(t.children) - len(shown) + t.hidden; n > 0 {
		m := b.more("more:"+t.note.ID, n, t.depth+1)
		add(block{w: m.W, h: m.H, nodes: []Node{m}})
	}
	if mirror {
		bl.mirror()
	}
	return bl
}

// mirror flips the block left to right within its width.
func (bl *block) mirror() {
	for i := range bl.nodes {
		bl.nodes[i].X = bl.w - bl.nodes[i].X - bl.nodes[i].W
	}
	for i := range bl.edges {
		pts := make([][2]float64, len(bl.edges[i].Points))
		for j, p := range bl.edges[i].Points {
			pts[j] = [2]float64{bl.w - p[0], p[1]}
		}
		bl.edges[i].Points = pts
	}
}

// shift moves an edge by (dx, dy), copying its points.
func shift(e Edge, dx, dy float64) Edge {
	pts := make([][2]float64, len(e.Points))
	for i, p := range e.Points {
		pts[i] = [2]float64{p[0] + dx, p[1] + dy}
	}
	e.Points = pts
	return e
}
