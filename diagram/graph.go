package diagram

import "sort"

// tnode is a note placed in the cause tree below the root problem.
type tnode struct {
	note     Note
	depth    int
	children []*tnode // its causes, in Notes order
	hidden   int      // causes past MaxDepth, shown only as a count
}

// graph is the root problem with its causes (a tree: every note once, at
// the first and shortest distance a breadth-first walk finds it, so cycles
// and diamonds end there) and its effects.
type graph struct {
	root    *tnode
	effects []Note
}

// buildGraph reads in; it returns nil when the root is unknown.
func buildGraph(in Input, maxDepth int) *graph {
	index := map[string]int{}
	for i, n := range in.Notes {
		if _, dup := index[n.ID]; !dup && n.ID != "" {
			index[n.ID] = i
		}
	}
	// Texts are cleaned when a box is made, for the few notes shown;
	// categories now, since every cause is sorted onto a bone.
	note := func(id string) Note {
		n := in.Notes[index[id]]
		n.Category = Clean(n.Category)
		return n
	}
	ri, ok := index[in.Root]
	if !ok {
		return nil
	}
	causes := map[string][]string{} // to → froms
	var effects []string
	for _, l := range in.Links {
		_, okF := index[l.From]
		_, okT := index[l.To]
		if !okF || !okT || l.From == l.To {
			continue
		}
		switch l.Kind {
		case LinkCause:
			causes[l.To] = append(causes[l.To], l.From)
		case LinkEffect:
			if l.From == in.Root {
				effects = append(effects, l.To)
			}
		}
	}
	byNote := func(ids []string) []string {
		sort.SliceStable(ids, func(a, b int) bool { return index[ids[a]] < index[ids[b]] })
		return ids
	}
	g := &graph{root: &tnode{note: note(in.Notes[ri].ID)}}
	seen := map[string]bool{in.Root: true}
	queue := []*tnode{g.root}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		for _, id := range byNote(causes[t.note.ID]) {
			if seen[id] {
				continue
			}
			seen[id] = true
			if t.depth >= maxDepth {
				t.hidden++
				continue
			}
			c := &tnode{note: note(id), depth: t.depth + 1}
			t.children = append(t.children, c)
			queue = append(queue, c)
		}
	}
	for _, id := range byNote(effects) {
		if !seen[id] {
			seen[id] = true
			g.effects = append(g.effects, note(id))
		}
	}
	return g
}
