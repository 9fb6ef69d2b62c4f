package minutes

import (
	"sort"
	"strings"

	"rembuk/diagram"
	"rembuk/rootcause"
)

// Figure is the root-cause diagrams of one problem: the fishbone and the
// problem tree, laid out once (package diagram) and drawn by every format
// from the same coordinates, plus the same causes as a list for the text
// formats (Markdown) and for readers who cannot see the drawing.
type Figure struct {
	Problem  string
	Fishbone diagram.Layout
	Tree     diagram.Layout
	Bones    []Bone   // the fishbone's bones that hold causes, in order
	Effects  []string // the problem's effects, in board order
}

// Bone is one fishbone category with its causes, depth-first: a cause of
// a cause follows its cause with Depth 2, and so on.
type Bone struct {
	Name   string
	Causes []Cause
}

// Cause is a cause's text and its depth below the problem (1 = a direct cause).
type Cause struct {
	Text  string
	Depth int
}

// printOptions are the layout caps for paper: fewer boxes per bone, so an
// A4 page keeps the text readable; "+N lainnya" says what was left out.
func printOptions(lang string) diagram.Options {
	o := rootcause.Options(lang)
	o.MaxPerBone, o.MaxChildren = 4, 1
	return o
}

// figures lays out a figure for every problem the reader may read that has
// cause or effect links (rootcause decides visibility from b.v, as for the
// rest of the minutes).
func (b *builder) figures(lang string) []Figure {
	var out []Figure
	for _, r := range rootcause.Roots(b.st, b.v) {
		in, ok := rootcause.Input(b.st, b.v, r.ID)
		if !ok {
			continue
		}
		opts := printOptions(lang)
		f := Figure{Problem: diagram.Clean(r.Text), Fishbone: diagram.Fishbone(in, opts), Tree: diagram.ProblemTree(in, opts)}
		f.Bones, f.Effects = causeList(in, opts.Text.Uncategorised)
		out = append(out, f)
	}
	return out
}

// causeList walks in's cause links from the root (each note once, as the
// layout does) and sorts the direct causes onto their bones.
func causeList(in diagram.Input, uncategorised string) ([]Bone, []string) {
	text := map[string]diagram.Note{}
	order := map[string]int{}
	for i, n := range in.Notes {
		text[n.ID], order[n.ID] = n, i
	}
	causes := map[string][]string{}
	var effects []string
	for _, l := range in.Links {
		switch l.Kind {
		case diagram.LinkCause:
			causes[l.To] = append(causes[l.To], l.From)
		case diagram.LinkEffect:
			if l.From == in.Root {
				effects = append(effects, diagram.Clean(text[l.To].Text))
			}
		}
	}
	for _, ids := range causes {
		sort.SliceStable(ids, func(a, b int) bool { return order[ids[a]] < order[ids[b]] })
	}
	seen := map[string]bool{in.Root: true}
	var walk func(id string, depth int) []Cause
	walk = func(id string, depth int) []Cause {
		var out []Cause
		for _, c := range causes[id] {
			if seen[c] {
				continue
			}
			seen[c] = true
			out = append(out, Cause{Text: diagram.Clean(text[c].Text), Depth: depth})
			out = append(out, walk(c, depth+1)...)
		}
		return out
	}
	var bones []Bone
	at := map[string]int{}
	for _, c := range causes[in.Root] {
		if seen[c] {
			continue
		}
		name := diagram.Clean(text[c].Category)
		if name == "" {
			name = uncategorised
		}
		i, ok := at[name]
		if !ok {
			i = len(bones)
			at[name] = i
			bones = append(bones, Bone{Name: name})
		}
		seen[c] = true
		bones[i].Causes = append(bones[i].Causes, Cause{Text: diagram.Clean(text[c].Text), Depth: 1})
		bones[i].Causes = append(bones[i].Causes, walk(c, 2)...)
	}
	return bones, effects
}

// figures writes the causes per bone and the effects as nested lists, the
// Markdown rendering of the diagrams; nothing when there are none.
func (d *mdDoc) figures() {
	m, l := d.m, d.m.L
	if len(m.Figures) == 0 {
		return
	}
	d.section(l.Figures)
	for _, f := range m.Figures {
		d.printf("### ", md(oneLine(f.Problem)), "\n\n")
		for _, b := range f.Bones {
			d.printf("- **", md(oneLine(b.Name)), "**\n")
			for _, c := range b.Causes {
				d.printf(strings.Repeat("  ", c.Depth), "- ", md(oneLine(c.Text)), "\n")
			}
		}
		if len(f.Effects) > 0 {
			d.printf("- **", md(l.Effects), "**\n")
			for _, e := range f.Effects {
				d.printf("  - ", md(oneLine(e)), "\n")
			}
		}
		d.printf("\n")
	}
}
