package diagram

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func nodes(l Layout) map[string]Node {
	m := map[string]Node{}
	for _, n := range l.Nodes {
		m[n.ID] = n
	}
	return m
}

func edgeSet(l Layout) []string {
	var s []string
	for _, e := range l.Edges {
		s = append(s, e.From+">"+e.To)
	}
	return s
}

func spineY(t *testing.T, l Layout) float64 {
	t.Helper()
	for _, s := range l.Strokes {
		if s.Kind == "spine" {
			return s.Points[0][1]
		}
	}
	t.Fatal("no spine")
	return 0
}

func TestFishbone(t *testing.T) {
	l := Fishbone(fishboneFixture(), Options{})
	n := nodes(l)
	if got, want := len(l.Nodes), 5; got != want {
		t.Fatalf("%d nodes, want %d (the innovation stays out)", got, want)
	}
	var labels []string
	sy := spineY(t, l)
	for i, lb := range l.Labels {
		labels = append(labels, lb.Text)
		above := lb.Y+lb.H < sy
		if above != (i%2 == 0) {
			t.Errorf("bone %d %q: above the spine %v, want %v", i, lb.Text, above, i%2 == 0)
		}
	}
	if got, want := strings.Join(labels, ","), strings.Join(fishboneCategories, ","); got != want {
		t.Errorf("bones %s, want %s", got, want)
	}
	head := n["p"]
	if head.Y > sy || head.Y+head.H < sy || head.Depth != 0 {
		t.Errorf("head %v not on the spine at %.1f", box(head), sy)
	}
	for id, c := range n {
		if id != "p" && c.X+c.W >= head.X {
			t.Errorf("%s reaches past the head", id)
		}
	}
	// A cause sits on its own bone: its tick meets the bone stroke.
	bones := map[string]Line{}
	for i, s := range l.Strokes[1:] {
		bones[l.Labels[i].Text] = s
	}
	for id, cat := range map[string]string{"c1": "Manusia", "c2": "Metode", "c3": "Mesin"} {
		e := findEdge(t, l, id, "p")
		if !onSegment(e.Points[1], bones[cat].Points) {
			t.Errorf("%s's tick ends at %v, off the %s bone %v", id, e.Points[1], cat, bones[cat].Points)
		}
		if last := e.Points[len(e.Points)-1]; last[1] != sy || last[0] != head.X {
			t.Errorf("%s's edge ends at %v, not at the head's tail (%.1f, %.1f)", id, last, head.X, sy)
		}
	}
	// The cause of a cause hangs below its cause, further out.
	c1, c4 := n["c1"], n["c4"]
	if c4.Y <= c1.Y+c1.H || c4.X >= c1.X || c4.Depth != 2 {
		t.Errorf("c4 %v not below and left of c1 %v", box(c4), box(c1))
	}
	findEdge(t, l, "c4", "c1")
}

func TestProblemTree(t *testing.T) {
	l := ProblemTree(treeFixture(), Options{})
	n := nodes(l)
	p := n["p"]
	if e := n["e1"]; e.Y+e.H >= p.Y || e.Kind != KindEffect {
		t.Errorf("effect %v not above the trunk %v", box(e), box(p))
	}
	for _, id := range []string{"c1", "c2", "c3"} {
		if c := n[id]; c.Y <= p.Y+p.H || c.Depth != 1 {
			t.Errorf("root %s %v not below the trunk %v", id, box(c), box(p))
		}
	}
	if c2, c4 := n["c2"], n["c4"]; c4.Y <= c2.Y+c2.H || c4.X <= c2.X {
		t.Errorf("c4 %v not below c2 %v", box(c4), box(c2))
	}
	if c1, c2, c3 := n["c1"], n["c2"], n["c3"]; !(c1.X+c1.W < c2.X && c2.X+c2.W < c3.X) {
		t.Error("roots not left to right in note order")
	}
	want := map[string]bool{"c1>p": true, "c2>p": true, "c3>p": true, "c4>c2": true, "p>e1": true}
	for _, e := range l.Edges {
		if !want[e.From+">"+e.To] {
			t.Errorf("unexpected edge %s→%s", e.From, e.To)
		}
		delete(want, e.From+">"+e.To)
		// Every edge runs upwards, from the cause to what it causes
		// and from the problem to its effect.
		for i := 1; i < len(e.Points); i++ {
			if e.Points[i][1] > e.Points[i-1][1] {
				t.Errorf("edge %s→%s goes down at %v", e.From, e.To, e.Points[i])
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("missing edges %v", want)
	}
}

func findEdge(t *testing.T, l Layout, from, to string) Edge {
	t.Helper()
	for _, e := range l.Edges {
		if e.From == from && e.To == to {
			return e
		}
	}
	t.Fatalf("no edge %s→%s in %v", from, to, edgeSet(l))
	return Edge{}
}

// onSegment: p lies on the segment a–b of pts (to within rounding).
func onSegment(p [2]float64, pts [][2]float64) bool {
	a, b := pts[0], pts[1]
	cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
	length := max(abs(b[0]-a[0]), abs(b[1]-a[1]))
	return abs(cross)/length < 0.3 && p[1] >= min(a[1], b[1])-eps && p[1] <= max(a[1], b[1])+eps
}

func TestEmptyAndUnknown(t *testing.T) {
	for view, lay := range views {
		l := lay(Input{Root: "p", Notes: []Note{{ID: "p", Text: "Masalah"}}}, Options{})
		if len(l.Nodes) != 1 || len(l.Edges) != 0 || l.Nodes[0].ID != "p" {
			t.Errorf("%s, no causes: nodes %v edges %v", view, l.Nodes, l.Edges)
		}
		for _, in := range []Input{{}, {Root: "x", Notes: []Note{{ID: "y"}}}} {
			l := lay(in, Options{})
			if len(l.Nodes)+len(l.Edges)+len(l.Labels)+len(l.Strokes) != 0 || l.Width <= 0 || l.Height <= 0 {
				t.Errorf("%s, unknown root: %+v", view, l)
			}
		}
	}
	// Given categories show as bones even without causes.
	in := fishboneFixture()
	in.Links = nil
	if l := Fishbone(in, Options{}); len(l.Labels) != 6 || len(l.Nodes) != 1 {
		t.Errorf("empty fishbone: %d bones, %d nodes", len(l.Labels), len(l.Nodes))
	}
}

// TestCycle: causes that cause each other, the problem causing its cause,
// self-links and links to unknown notes: each note drawn once, no edge
// twice, and the walk ends.
func TestCycle(t *testing.T) {
	for view, lay := range views {
		l := lay(cycleFixture(), Options{})
		if got, want := strings.Join(edgeSet(l), " "), "c1>p c2>c1 c3>c2"; !sameSet(got, want) {
			t.Errorf("%s: edges %s, want %s", view, got, want)
		}
		if len(l.Nodes) != 4 {
			t.Errorf("%s: %d nodes, want 4", view, len(l.Nodes))
		}
	}
}

func sameSet(a, b string) bool {
	x, y := strings.Fields(a), strings.Fields(b)
	m := map[string]int{}
	for _, s := range x {
		m[s]++
	}
	for _, s := range y {
		m[s]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

// TestCaps: 200 causes on one bone show 6 and "+194 lainnya"; deeper
// causes than MaxDepth and more children than MaxChildren are counted.
func TestCaps(t *testing.T) {
	for view, lay := range views {
		l := lay(manyFixture(), Options{})
		var more []Node
		for _, n := range l.Nodes {
			if n.Kind == KindMore {
				more = append(more, n)
			}
		}
		if len(l.Nodes) != 1+6+1 || len(more) != 1 || more[0].Overflow != 194 || more[0].Lines[0] != "+194 lainnya" {
			t.Errorf("%s: %d nodes, more %+v", view, len(l.Nodes), more)
		}
	}
	// A chain p ← a ← b ← c ← d ← e, and six causes of a.
	in := Input{Root: "p", Notes: []Note{{ID: "p"}}}
	chain := []string{"p", "a", "b", "c", "d", "e"}
	for i, id := range chain[1:] {
		in.Notes = append(in.Notes, Note{ID: id, Text: id, Kind: KindCause})
		in.Links = append(in.Links, Link{From: id, To: chain[i], Kind: LinkCause})
	}
	for i := range 6 {
		id := fmt.Sprintf("s%d", i)
		in.Notes = append(in.Notes, Note{ID: id, Text: id, Kind: KindCause})
		in.Links = append(in.Links, Link{From: id, To: "a", Kind: LinkCause})
	}
	l := ProblemTree(in, Options{Text: Text{More: "+%d more"}})
	n := nodes(l)
	if _, ok := n["d"]; ok {
		t.Error("d is deeper than MaxDepth 3 but drawn")
	}
	if m := n["more:c"]; m.Overflow != 1 || m.Lines[0] != "+1 more" {
		t.Errorf("more under c: %+v", m)
	}
	// a has b and s0…s5: two drawn (b, s0), five counted.
	if m := n["more:a"]; m.Overflow != 5 {
		t.Errorf("more under a: %+v", m)
	}
}

func TestMaxBones(t *testing.T) {
	in := Input{Root: "p", Notes: []Note{{ID: "p"}}}
	for i := range 15 {
		id := fmt.Sprintf("c%d", i)
		in.Notes = append(in.Notes, Note{ID: id, Text: id, Category: fmt.Sprintf("Kategori %02d", i)})
		in.Links = append(in.Links, Link{From: id, To: "p", Kind: LinkCause})
	}
	l := Fishbone(in, Options{})
	if len(l.Labels) != 12 || l.Labels[11].Text != "Lainnya" || len(l.Nodes) != 16 {
		t.Errorf("%d bones, last %q, %d nodes", len(l.Labels), l.Labels[len(l.Labels)-1].Text, len(l.Nodes))
	}
}

// TestDeterministic: the same input gives the same layout, and the order
// of the links does not matter (notes' order does: it is the board's).
func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, in := range fixtures() {
		for view, lay := range views {
			want := lay(in, Options{})
			shuffled := in
			shuffled.Links = append([]Link(nil), in.Links...)
			rng.Shuffle(len(shuffled.Links), func(i, j int) {
				shuffled.Links[i], shuffled.Links[j] = shuffled.Links[j], shuffled.Links[i]
			})
			if got := lay(shuffled, Options{}); !reflect.DeepEqual(got, want) {
				t.Errorf("%s/%s: shuffled links change the layout", name, view)
			}
		}
	}
}
