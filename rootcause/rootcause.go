// Package rootcause turns a board, as one viewer may see it, into the
// inputs of the root-cause diagrams (package diagram): the fishbone and
// the problem tree. It is the one bridge between board and diagram, used
// by the server's diagram endpoint and by the minutes' figures, so the
// page and the minutes draw the same thing from the same notes.
//
// Visibility: a note the viewer may not read (board.State.CanRead) never
// enters an Input — not its text, and not as a node; links to it are
// dropped with it. Group titles are public on the board and enter as the
// group's node.
package rootcause

import (
	"rembuk/board"
	"rembuk/diagram"
)

// Root is a problem that has a diagram: a readable note or group in a
// problem column with at least one cause or effect link.
type Root struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Input builds the diagram input for root as v sees the board. ok is false
// when root is not a problem v may read.
func Input(st *board.State, v board.Viewer, root string) (in diagram.Input, ok bool) {
	nodes, kinds := readable(st, v)
	if kinds[root] != board.KindProblem {
		return diagram.Input{}, false
	}
	in = diagram.Input{Root: root, Notes: nodes, Links: []diagram.Link{}}
	for _, l := range st.SortedLinks() {
		k := board.LinkKindOf(l)
		if k == board.LinkAnswers {
			continue // the views draw causes and effects only
		}
		if _, okF := kinds[l.FromID]; !okF {
			continue
		}
		if _, okT := kinds[l.ToID]; !okT {
			continue
		}
		in.Links = append(in.Links, diagram.Link{From: l.FromID, To: l.ToID, Kind: diagram.LinkKind(k)})
	}
	// The bones: every cause column, in board order, even without causes
	// yet (the fishbone template's six categories show from the start).
	for _, c := range st.SortedColumns() {
		if c.Kind == board.KindCause {
			in.Categories = append(in.Categories, c.Title)
		}
	}
	return in, true
}

// Roots lists, in board order, the problems v may read that have a cause
// or an effect link to or from a note v may read.
func Roots(st *board.State, v board.Viewer) []Root {
	nodes, kinds := readable(st, v)
	has := map[string]bool{}
	for _, l := range st.SortedLinks() {
		_, okF := kinds[l.FromID]
		_, okT := kinds[l.ToID]
		if !okF || !okT {
			continue
		}
		switch board.LinkKindOf(l) {
		case board.LinkCause:
			has[l.ToID] = true
		case board.LinkEffect:
			has[l.FromID] = true
		}
	}
	out := []Root{}
	for _, n := range nodes {
		if has[n.ID] && kinds[n.ID] == board.KindProblem {
			out = append(out, Root{ID: n.ID, Text: n.Text})
		}
	}
	return out
}

// readable returns the groups and notes v may read, in board order
// (columns by position; in each, groups then notes by position), with the
// kind of each one's column.
func readable(st *board.State, v board.Viewer) ([]diagram.Note, map[string]string) {
	cols := map[string]*board.Column{}
	for _, c := range st.SortedColumns() {
		cols[c.ID] = c
	}
	kinds := map[string]string{}
	byCol := map[string][]diagram.Note{}
	add := func(id, colID, text string) {
		c, ok := cols[colID]
		if !ok {
			return
		}
		kinds[id] = c.Kind
		n := diagram.Note{ID: id, Text: text, Kind: diagram.Kind(c.Kind)}
		if c.Kind == board.KindCause {
			n.Category = c.Title
		}
		byCol[colID] = append(byCol[colID], n)
	}
	for _, g := range st.SortedGroups() {
		add(g.ID, g.ColumnID, g.Title)
	}
	for _, n := range st.SortedNotes() {
		if st.CanRead(n, v) {
			add(n.ID, n.ColumnID, n.Text)
		}
	}
	var out []diagram.Note
	for _, c := range st.SortedColumns() {
		out = append(out, byCol[c.ID]...)
	}
	return out, kinds
}

// Options are the layout options for lang ("id" or "en"): the words the
// layout writes itself, in the reader's language.
func Options(lang string) diagram.Options {
	if lang == "en" {
		return diagram.Options{Text: diagram.Text{More: "+%d more", Uncategorised: "Other"}}
	}
	return diagram.Options{}
}
