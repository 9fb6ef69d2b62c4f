package board

import (
	"sort"
	"strings"
)

// Units side by side (issue 13). A participant gives a unit (Balai, Bagian)
// at join; a note's unit is its author's. Two spellings of one unit ("Balai
// A", "balai  a") are one unit: unitKey folds case and spaces. A unit is
// written everywhere with one label — the spelling of the first person who
// joined with it, removed or not — so the spelling on a note never tells
// which member of the unit wrote it, and membership changes never rename it.

// MinUnitSize is how many people (not removed) a unit needs before an
// anonymous note may carry it: a unit of one or two would name its author.
const MinUnitSize = 3

// unitKey is the key two spellings of one unit share; "" is no unit.
func unitKey(unit string) string { return strings.ToLower(strings.Join(strings.Fields(unit), " ")) }

// units is the session's units at one moment: how many people each has
// and how each is written. State keeps it until a participant changes.
type units struct {
	members map[string]int    // unit key -> people in the session (removed ones not counted)
	label   map[string]string // unit key -> the label everyone sees
	of      map[string]string // participant id -> unit key
	// unnamed counts the people (not removed) whose unit is never shown on
	// an anonymous note: no unit, or a unit under MinUnitSize.
	unnamed int
}

// namable reports whether units may be shown on anonymous notes at all.
// Showing the others' units names by elimination the one or two people
// left without one (a lone member of a small unit, the only person who gave
// no unit), so either nobody is left out or at least MinUnitSize are.
func (u *units) namable() bool { return u.unnamed == 0 || u.unnamed >= MinUnitSize }

// units returns the table, built from the participants in join order (for
// the labels) when a participant changed since it was last built.
func (s *State) units() *units {
	if s.unitCache == nil {
		s.unitCache = s.buildUnits()
	}
	return s.unitCache
}

func (s *State) buildUnits() *units {
	u := &units{members: map[string]int{}, label: map[string]string{}, of: make(map[string]string, len(s.Participants))}
	for _, p := range s.SortedParticipants() {
		k := unitKey(p.Unit)
		if k == "" {
			continue
		}
		u.of[p.ID] = k
		if _, ok := u.label[k]; !ok {
			u.label[k] = strings.Join(strings.Fields(p.Unit), " ")
		}
		if !p.Removed {
			u.members[k]++
		}
	}
	for _, p := range s.Participants {
		if !p.Removed && u.members[unitKey(p.Unit)] < MinUnitSize {
			u.unnamed++
		}
	}
	return u
}

// canSeeUnit is CanSeeUnit against a table already built.
func (s *State) canSeeUnit(n *Note, v Viewer, u *units) bool {
	k := u.of[n.AuthorID]
	if k == "" || !s.CanRead(n, v) {
		return false
	}
	if s.CanSeeAuthor(n, v) {
		return true // the author is named, and their unit is on the attendance list
	}
	return s.Session.Settings.ShowUnits && u.members[k] >= MinUnitSize && u.namable()
}

// unitSig says which units an anonymous note may carry now ("" none):
// Join and participant.remove compare it before and after. When it
// changes, what every viewer sees of notes changes, so their event carries
// every note again, projected per viewer.
func (s *State) unitSig() string {
	if !s.Session.Settings.ShowUnits {
		return ""
	}
	u := s.units()
	if !u.namable() {
		return ""
	}
	var keys []string
	for k, n := range u.members {
		if n >= MinUnitSize {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return strings.Join(keys, "\x00")
}

// unitShifted reports whether a change that moved the unit signature from
// before matters to some note: one is anonymous.
func (s *State) unitShifted(before string) bool {
	if s.unitSig() == before {
		return false
	}
	if s.Session.Settings.Anonymous {
		return true
	}
	for _, n := range s.Notes {
		if n.Anonymous {
			return true
		}
	}
	return false
}

// UnitUSG is one unit's mean USG for a target: the mean over the raters of
// that unit.
type UnitUSG struct {
	Unit string `json:"unit"`
	USG
}

// unitUSG returns the per-unit USG of a target, units in label order.
// While the session is anonymous a unit is broken out only when units are
// shown (and namable), it has MinUnitSize people and at least two of them
// scored; and if the raters left out of the breakdown are exactly one,
// nothing is broken out, as the team's mean less the units' would be that
// one rater's score. Raters without a unit are left out of the breakdown
// (the team's mean still counts them).
func (s *State) unitUSG(target string, u *units) []UnitUSG {
	type acc struct{ u, s, g, n int }
	sums := map[string]*acc{}
	for pid, k := range u.of {
		sc := s.Scores[voteKey(pid, target)]
		if sc == nil {
			continue
		}
		a := sums[k]
		if a == nil {
			a = &acc{}
			sums[k] = a
		}
		a.u, a.s, a.g, a.n = a.u+sc.U, a.s+sc.S, a.g+sc.G, a.n+1
	}
	var out []UnitUSG
	st := s.Session.Settings
	rest := 0 // raters left out of the breakdown
	for pid := range s.Participants {
		if sc := s.Scores[voteKey(pid, target)]; sc != nil && u.of[pid] == "" {
			rest++
		}
	}
	for k, a := range sums {
		if st.Anonymous && (!st.ShowUnits || !u.namable() || u.members[k] < MinUnitSize || a.n < 2) {
			rest += a.n
			continue
		}
		n := float64(a.n)
		x := USG{U: round2(float64(a.u) / n), S: round2(float64(a.s) / n), G: round2(float64(a.g) / n),
			Total: round2(float64(a.u+a.s+a.g) / n), Raters: a.n}
		out = append(out, UnitUSG{Unit: u.label[k], USG: x})
	}
	if st.Anonymous && rest == 1 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Unit < out[j].Unit })
	return out
}

// AuthorUnit returns the label of the unit of n's author as v may learn it
// (CanSeeUnit), or "". The minutes ask it for their nameless viewer.
func (s *State) AuthorUnit(n *Note, v Viewer) string {
	u := s.units()
	if !s.canSeeUnit(n, v, u) {
		return ""
	}
	return u.label[u.of[n.AuthorID]]
}
