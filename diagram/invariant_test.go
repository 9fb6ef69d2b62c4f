package diagram

import (
	"fmt"
	"math"
	"sort"
	"testing"
)

// eps absorbs the rounding to 0.1 of positions.
const eps = 0.11

type rect struct {
	name       string
	x, y, w, h float64
}

// checkInvariants returns every way l breaks the contract: boxes that
// overlap, edges that do not start and end on their nodes' borders,
// anything outside Width × Height, lines wider than their box.
func checkInvariants(l Layout) []string {
	var errs []string
	bad := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	var boxes []rect
	byID := map[string]Node{}
	for _, n := range l.Nodes {
		if _, dup := byID[n.ID]; dup {
			bad("node %q twice", n.ID)
		}
		byID[n.ID] = n
		boxes = append(boxes, rect{"node " + n.ID, n.X, n.Y, n.W, n.H})
		for _, ln := range n.Lines {
			if w := TextWidth(ln, l.FontSize, n.Depth == 0); w > n.W-2*l.PadX+eps {
				bad("node %q: line %q is %.1f wide in a box of %.1f", n.ID, ln, w, n.W)
			}
		}
		if min := 2*l.PadY + float64(max(len(n.Lines), 1))*l.LineHeight; n.H+eps < min {
			bad("node %q: %d lines need %.1f, box is %.1f high", n.ID, len(n.Lines), min, n.H)
		}
	}
	for _, lb := range l.Labels {
		boxes = append(boxes, rect{"label " + lb.Text, lb.X, lb.Y, lb.W, lb.H})
	}
	inside := func(what string, x, y float64) {
		if x < -eps || y < -eps || x > l.Width+eps || y > l.Height+eps || math.IsNaN(x) || math.IsNaN(y) {
			bad("%s: (%.1f, %.1f) outside %.0f×%.0f", what, x, y, l.Width, l.Height)
		}
	}
	for _, r := range boxes {
		if r.w <= 0 || r.h <= 0 {
			bad("%s: empty box %.1f×%.1f", r.name, r.w, r.h)
		}
		inside(r.name, r.x, r.y)
		inside(r.name, r.x+r.w, r.y+r.h)
	}
	// Sweep by x so that hundreds of boxes stay cheap.
	sort.Slice(boxes, func(i, j int) bool { return boxes[i].x < boxes[j].x })
	for i, a := range boxes {
		for _, b := range boxes[i+1:] {
			if b.x >= a.x+a.w-eps {
				break
			}
			if a.y < b.y+b.h-eps && b.y < a.y+a.h-eps {
				bad("%s overlaps %s", a.name, b.name)
			}
		}
	}
	for _, e := range l.Edges {
		from, okF := byID[e.From]
		to, okT := byID[e.To]
		if !okF || !okT {
			bad("edge %s→%s: unknown node", e.From, e.To)
			continue
		}
		if len(e.Points) < 2 {
			bad("edge %s→%s: %d points", e.From, e.To, len(e.Points))
			continue
		}
		for _, p := range e.Points {
			inside("edge "+e.From+"→"+e.To, p[0], p[1])
		}
		if p := e.Points[0]; !onBorder(from, p) {
			bad("edge %s→%s starts at %v, off %s's box %v", e.From, e.To, p, e.From, box(from))
		}
		if p := e.Points[len(e.Points)-1]; !onBorder(to, p) {
			bad("edge %s→%s ends at %v, off %s's box %v", e.From, e.To, p, e.To, box(to))
		}
	}
	for _, s := range l.Strokes {
		for _, p := range s.Points {
			inside(s.Kind, p[0], p[1])
		}
	}
	if l.Width <= 0 || l.Height <= 0 {
		bad("size %.1f×%.1f", l.Width, l.Height)
	}
	return errs
}

func box(n Node) [4]float64 { return [4]float64{n.X, n.Y, n.W, n.H} }

// onBorder reports whether p lies on the border of n's box.
func onBorder(n Node, p [2]float64) bool {
	x, y := p[0], p[1]
	inX := x > n.X-eps && x < n.X+n.W+eps
	inY := y > n.Y-eps && y < n.Y+n.H+eps
	near := func(a, b float64) bool { return math.Abs(a-b) < eps }
	return (inY && (near(x, n.X) || near(x, n.X+n.W))) || (inX && (near(y, n.Y) || near(y, n.Y+n.H)))
}

func TestInvariants(t *testing.T) {
	for name, in := range fixtures() {
		for view, lay := range views {
			t.Run(name+"/"+view, func(t *testing.T) {
				for _, e := range checkInvariants(lay(in, Options{})) {
					t.Error(e)
				}
			})
		}
	}
}

// TestInvariantsCatch: the checker itself fails on a broken layout.
func TestInvariantsCatch(t *testing.T) {
	l := Fishbone(fishboneFixture(), Options{})
	broken := l
	broken.Nodes = append([]Node(nil), l.Nodes...)
	broken.Nodes[1].X, broken.Nodes[1].Y = broken.Nodes[2].X, broken.Nodes[2].Y
	if len(checkInvariants(broken)) == 0 {
		t.Error("overlapping boxes not caught")
	}
	broken = l
	broken.Width = 10
	if len(checkInvariants(broken)) == 0 {
		t.Error("a box outside Width not caught")
	}
	broken = l
	broken.Edges = append([]Edge(nil), l.Edges...)
	broken.Edges[0].Points = [][2]float64{{1, 1}, {2, 2}}
	if len(checkInvariants(broken)) == 0 {
		t.Error("an edge off its boxes not caught")
	}
}
