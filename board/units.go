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
// and how each is written. Callers that project many notes build it once.
type units struct {
	members map[string]int    // unit key -> people in the session (removed ones not counted)
	label   map[string]string // unit key -> the label everyone sees
	of      map[string]string // participant id -> unit key
}

// units builds the table from the participants, in join order for labels.
func (s *State) units() *units {
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
	return s.Session.Settings.ShowUnits && u.members[k] >= MinUnitSize
}

// unitShift reports whether p's join (joined) or removal, already applied,
// moved p's unit across MinUnitSize while that matters: units are shown and
// some note is anonymous. Such a change alters what every viewer sees of
// notes, so its event carries every note again, projected per viewer.
func (s *State) unitShift(p *Participant, joined bool) bool {
	k := unitKey(p.Unit)
	if k == "" || !s.Session.Settings.ShowUnits {
		return false
	}
	want := MinUnitSize - 1
	if joined {
		want = MinUnitSize
	}
	if s.units().members[k] != want {
		return false
	}
	if s.Session.Settings.Anonymous {
		return true
	}
	for _, note := range s.Notes {
		if note.Anonymous {
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
// shown, it has MinUnitSize people and at least two of them scored: no
// breakdown may reveal one rater's score. Raters without a unit are left
// out of the breakdown (the team's mean still counts them).
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
	for k, a := range sums {
		if st.Anonymous && (!st.ShowUnits || u.members[k] < MinUnitSize || a.n < 2) {
			continue
		}
		n := float64(a.n)
		x := USG{U: round2(float64(a.u) / n), S: round2(float64(a.s) / n), G: round2(float64(a.g) / n),
			Total: round2(float64(a.u+a.s+a.g) / n), Raters: a.n}
		out = append(out, UnitUSG{Unit: u.label[k], USG: x})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Unit < out[j].Unit })
	return out
}
