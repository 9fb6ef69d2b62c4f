package diagram

// ProblemTree lays out the pohon masalah of in.Root: the core problem is
// the trunk in the middle, its effects the branches in a row above it,
// its causes the roots in a row below it — each with its own causes
// stacked further down, indented — and every edge runs upwards, from a
// cause to what it causes and from the problem to each effect. An
// unknown root gives an empty Layout.
func ProblemTree(in Input, opts Options) Layout {
	o := opts.withDefaults()
	b := newBuilder(o)
	c := &canvas{b: b, view: "tree"}
	g := buildGraph(in, o.MaxDepth)
	if g == nil {
		return c.finish()
	}
	trunk := b.box(g.root.note.ID, KindProblem, g.root.note.Text, roundUp(o.BoxWidth*1.5), o.MaxLines+2, 0)
	if g.root.note.Kind != "" {
		trunk.Kind = g.root.note.Kind
	}
	colGap := o.FontSize * 1.5
	level := o.FontSize * 3.5 // between the rows

	// The roots: one block per direct cause, side by side.
	var roots []block
	shown := g.root.children
	if len(shown) > o.MaxPerBone {
		shown = shown[:o.MaxPerBone]
	}
	for _, t := range shown {
		roots = append(roots, b.causeBlock(t, false))
	}
	if n := len(g.root.children) - len(shown) + g.root.hidden; n > 0 {
		m := b.more("more:causes", n, 1)
		roots = append(roots, block{w: m.W, h: m.H, nodes: []Node{m}})
	}
	// The branches: one box per effect, bottoms aligned.
	var branches []Node
	effects := g.effects
	if len(effects) > o.MaxEffects {
		effects = effects[:o.MaxEffects]
	}
	for _, e := range effects {
		kind := e.Kind
		if kind == "" {
			kind = KindOther
		}
		branches = append(branches, b.box(e.ID, kind, e.Text, o.BoxWidth, o.MaxLines, 1))
	}
	if n := len(g.effects) - len(effects); n > 0 {
		branches = append(branches, b.more("more:effects", n, 1))
	}

	rowW := func(ws []float64) float64 {
		w := 0.0
		for i, x := range ws {
			if i > 0 {
				w += colGap
			}
			w += x
		}
		return w
	}
	var rw, bw []float64
	for _, r := range roots {
		rw = append(rw, r.w)
	}
	branchH := 0.0
	for _, n := range branches {
		bw = append(bw, n.W)
		branchH = max(branchH, n.H)
	}
	width := max(rowW(rw), rowW(bw), trunk.W)

	// The trunk's top is y = 0.
	trunk.X = (width - trunk.W) / 2
	c.nodes = append(c.nodes, trunk)
	px := trunk.X + trunk.W/2
	x := (width - rowW(bw)) / 2
	for _, n := range branches {
		n.X, n.Y = x, -level-n.H
		c.nodes = append(c.nodes, n)
		cx := n.X + n.W/2
		c.edges = append(c.edges, Edge{From: trunk.ID, To: n.ID, Kind: LinkEffect,
			Points: [][2]float64{{px, 0}, {px, -level / 2}, {cx, -level / 2}, {cx, -level}}})
		x += n.W + colGap
	}
	x = (width - rowW(rw)) / 2
	y := trunk.H + level
	for _, r := range roots {
		c.addBlock(r, x, y)
		n := r.nodes[0]
		cx := x + n.W/2
		c.edges = append(c.edges, Edge{From: n.ID, To: trunk.ID, Kind: LinkCause,
			Points: [][2]float64{{cx, y}, {cx, y - level/2}, {px, y - level/2}, {px, trunk.H}}})
		x += r.w + colGap
	}
	return c.finish()
}
