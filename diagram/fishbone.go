package diagram

import (
	"fmt"
	"math"
)

// boneSlope is how far a bone leans towards the head per pixel it rises:
// bones run up-right (above the spine) or down-right (below it) into the
// spine, like a fish's ribs.
const boneSlope = 0.35

// bone is one category: its label and its direct causes.
type bone struct {
	label  string
	causes []*tnode
}

// Fishbone lays out the diagram tulang ikan of in.Root: the problem is
// the head on the right, the spine runs left from it, and each category
// is a bone — alternately above and below the spine, in category order
// from the tail — carrying its causes as boxes with ticks onto the bone,
// the first nearest the spine. Causes of causes hang below their cause,
// joined to it. An unknown root gives an empty Layout.
func Fishbone(in Input, opts Options) Layout {
	o := opts.withDefaults()
	b := newBuilder(o)
	c := &canvas{b: b, view: "fishbone"}
	g := buildGraph(in, o.MaxDepth)
	if g == nil {
		return c.finish()
	}
	bones := groupBones(in.Categories, g.root.children, o)
	head := b.box(g.root.note.ID, KindProblem, g.root.note.Text, roundUp(o.BoxWidth*1.2), o.MaxLines+2, 0)
	if g.root.note.Kind != "" {
		head.Kind = g.root.note.Kind
	}

	// Bones above the spine are placed one after the other from the
	// tail, each clear of the previous one's bounding box; the same for
	// the bones below. The spine is y = 0.
	var cursor [2]float64
	type placed struct {
		joint float64
		g     boneGroup
	}
	var all []placed
	for i, bn := range bones {
		side := i % 2
		bg := b.boneGroup(i, bn, side == 1)
		joint := cursor[side] - bg.minX
		if i >= 2 {
			joint += b.o.FontSize * 2
		}
		cursor[side] = joint + bg.maxX
		all = append(all, placed{joint, bg})
	}
	headX := max(cursor[0], cursor[1]) + b.o.FontSize*3
	tail := min(0, headX-6*b.o.FontSize)
	head.X, head.Y = headX, -head.H/2
	c.nodes = append(c.nodes, head)
	c.strokes = append(c.strokes, Line{Kind: "spine", Points: [][2]float64{{tail, 0}, {headX, 0}}})
	for _, p := range all {
		c.addBoneGroup(p.g, p.joint, head)
	}
	return c.finish()
}

// groupBones sorts the root's causes onto bones: the given categories
// first (even empty), then those of the causes in order; past MaxBones
// the rest share one last bone labelled Text.Uncategorised.
func groupBones(categories []string, causes []*tnode, o Options) []bone {
	var bones []bone
	at := map[string]int{}
	add := func(label string) int {
		if i, ok := at[label]; ok {
			return i
		}
		if len(bones) >= o.MaxBones {
			label = o.Text.Uncategorised
			if i, ok := at[label]; ok {
				return i
			}
			bones[len(bones)-1].label = label
			at[label] = len(bones) - 1
			return len(bones) - 1
		}
		at[label] = len(bones)
		bones = append(bones, bone{label: label})
		return len(bones) - 1
	}
	for _, cat := range categories {
		if cat = Clean(cat); cat != "" {
			add(cat)
		}
	}
	for _, t := range causes {
		cat := t.note.Category
		if cat == "" {
			cat = o.Text.Uncategorised
		}
		i := add(cat)
		bones[i].causes = append(bones[i].causes, t)
	}
	return bones
}

// boneGroup is a bone in coordinates relative to its joint on the spine.
type boneGroup struct {
	minX, maxX float64
	label      Label
	top        [2]float64 // the bone's far end, on the label's border
	blocks     []block
	at         [][2]float64 // each block's top left
}

// boneGroup stacks the bone's cause blocks outwards from the spine, each
// as far right as the leaning bone allows, and puts the label at the
// bone's far end.
func (b *builder) boneGroup(i int, bn bone, below bool) boneGroup {
	o := b.o
	var bg boneGroup
	shown := bn.causes
	if len(shown) > o.MaxPerBone {
		shown = shown[:o.MaxPerBone]
	}
	for _, t := range shown {
		bg.blocks = append(bg.blocks, b.causeBlock(t, true))
	}
	if n := len(bn.causes) - len(shown); n > 0 {
		m := b.more(fmt.Sprintf("more:bone:%d", i), n, 1)
		bg.blocks = append(bg.blocks, block{w: m.W, h: m.H, nodes: []Node{m}})
	}
	tick := o.FontSize * 1.5
	dist := o.FontSize * 1.2 // from the spine to the nearest box
	for _, bl := range bg.blocks {
		y := dist
		if !below {
			y = -dist - bl.h
		}
		// Each box keeps a tick's length clear of the bone where the
		// bone comes nearest to it: at its top above the spine, at
		// its bottom below.
		x := math.Inf(1)
		for _, n := range bl.nodes {
			boneX := boneSlope * (y + n.Y)
			if below {
				boneX = -boneSlope * (y + n.Y + n.H)
			}
			x = min(x, boneX-tick-(n.X+n.W))
		}
		bg.at = append(bg.at, [2]float64{x, y})
		bg.minX = min(bg.minX, x)
		dist += bl.h + b.gap*1.5
	}
	dist = max(dist, o.FontSize*4)
	lines := Wrap(bn.label, o.BoxWidth-2*b.padX, o.FontSize, true, 3)
	lw := 0.0
	for _, ln := range lines {
		lw = max(lw, TextWidth(ln, o.FontSize, true))
	}
	lb := Label{Text: bn.label, Lines: lines, W: roundUp(lw + 2*b.padX), H: roundUp(b.height(max(len(lines), 1)))}
	end := dist + b.gap
	if below {
		bg.top = [2]float64{-boneSlope * end, end}
		lb.Y = end
	} else {
		bg.top = [2]float64{-boneSlope * end, -end}
		lb.Y = -end - lb.H
	}
	lb.X = bg.top[0] - lb.W/2
	bg.label = lb
	bg.minX = min(bg.minX, lb.X)
	bg.maxX = max(0, lb.X+lb.W)
	return bg
}

// addBoneGroup draws a bone whose joint is at x = joint on the spine:
// label, bone stroke, cause blocks, and for each direct cause the edge
// cause → tick → bone → joint → spine → head.
func (c *canvas) addBoneGroup(bg boneGroup, joint float64, head Node) {
	lb := bg.label
	lb.X += joint
	c.labels = append(c.labels, lb)
	c.strokes = append(c.strokes, Line{Kind: "bone", Points: [][2]float64{{bg.top[0] + joint, bg.top[1]}, {joint, 0}}})
	for k, bl := range bg.blocks {
		x, y := bg.at[k][0]+joint, bg.at[k][1]
		c.addBlock(bl, x, y)
		n := bl.nodes[0]
		mid := y + n.H/2
		boneX := joint - boneSlope*abs(mid)
		c.edges = append(c.edges, Edge{From: n.ID, To: head.ID, Kind: LinkCause, Points: [][2]float64{
			{x + n.X + n.W, mid}, {boneX, mid}, {joint, 0}, {head.X, 0}}})
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
