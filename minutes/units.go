package minutes

import (
	"sort"

	"rembuk/board"
)

// UnitProblems is one entry of "Pemetaan per Unit": a unit and the
// problems its people wrote, in discussion order. Unit is L.UnitUnstated
// for the problems whose unit the minutes' reader may not learn (board's
// CanSeeUnit) or whose author gave none — one bucket for both, so the
// bucket never tells an anonymous writer from a writer without a unit.
type UnitProblems struct {
	Unit     string
	Problems []Item
}

// unitMap groups the problem notes of the discussion by their authors'
// units: named units in label order, the unstated bucket last.
func (b *builder) unitMap(cols []Column) []UnitProblems {
	byUnit := map[string][]Item{}
	walkItems(cols, func(c *Column, _ *Group, it *Item, isGroup bool) {
		if isGroup || c.Kind != board.KindProblem {
			return
		}
		byUnit[it.Unit] = append(byUnit[it.Unit], *it)
	})
	var names []string
	for u := range byUnit {
		if u != "" {
			names = append(names, u)
		}
	}
	sort.Strings(names)
	out := make([]UnitProblems, 0, len(byUnit))
	for _, u := range names {
		out = append(out, UnitProblems{Unit: u, Problems: byUnit[u]})
	}
	if ps, ok := byUnit[""]; ok {
		out = append(out, UnitProblems{Unit: b.l.UnitUnstated, Problems: ps})
	}
	return out
}

// units draws "Pemetaan per Unit" in the PDF: a bold line per unit, its
// problems as items below it.
func (d *pdfDoc) units() {
	m := d.m
	d.heading(m.L.UnitMap)
	for _, u := range m.Units {
		d.Ln(1.5)
		d.keep(12)
		d.font(true, 10.5)
		d.para(pdfLeft, pdfWidth, 6, oneLine(u.Unit))
		for _, it := range u.Problems {
			d.item(pdfLeft+2, false, it, false)
		}
	}
	if len(m.Units) == 0 {
		d.font(false, 10)
		d.para(pdfLeft, pdfWidth, 5, m.L.None)
	}
}
