package board

import (
	"encoding/json"
	"testing"
)

// TestLinkKindMatrix runs every link kind (and an absent kind) between
// notes in every pair of column kinds: accepted exactly where
// docs/protocol.md says, otherwise invalid and nothing changes.
func TestLinkKindMatrix(t *testing.T) {
	kinds := []string{KindProblem, KindCause, KindEffect, KindInnovation, KindOther}
	// allowed[linkKind] = the "from>to" column-kind pairs the contract allows.
	allowed := map[string]map[string]bool{
		LinkCause:   {"cause>problem": true, "cause>cause": true, "problem>problem": true, "problem>cause": true},
		LinkAnswers: {"innovation>problem": true, "innovation>cause": true},
		LinkEffect:  {"problem>effect": true},
	}
	for _, lk := range []string{"", LinkCause, LinkAnswers, LinkEffect, "blames"} {
		for i, fk := range kinds {
			for j, tk := range kinds {
				name := "kind=" + lk + "/" + fk + ">" + tk
				t.Run(name, func(t *testing.T) {
					b := newBoard(t, kinds...)
					from := b.note("fac", colOf(i), "dari")
					to := b.note("fac", colOf(j), "ke")
					if i == j {
						to = b.note("fac", colOf(j), "ke lain")
					}
					cmd := Command{Type: "link.add", FromID: from, ToID: to}
					eff := LinkAnswers
					if lk != "" {
						cmd.Kind, eff = sp(lk), lk
					}
					if !allowed[eff][fk+">"+tk] {
						b.refuse("fac", cmd, CodeInvalid)
						return
					}
					ch := b.do("fac", cmd)
					d := ch.Event.Data.(LinkData)
					if d.Link.Kind != eff || b.s.Links[d.Link.ID].Kind != eff {
						t.Errorf("link kind = %q, want %q", d.Link.Kind, eff)
					}
				})
			}
		}
	}
}

func colOf(i int) string { return "col" + string(rune('1'+i)) }

// TestLinkKindEdges: self-links and duplicates are refused whatever the
// kind; a participant may make typed links like any link.
func TestLinkKindEdges(t *testing.T) {
	b := newBoard(t, KindProblem, KindCause, KindEffect)
	b.participant("pa", "Ani", RoleParticipant)
	p := b.note("pa", "col1", "masalah")
	c := b.note("pa", "col2", "sebab")
	b.refuse("pa", Command{Type: "link.add", FromID: p, ToID: p, Kind: sp(LinkCause)}, CodeInvalid)
	b.do("pa", Command{Type: "link.add", FromID: c, ToID: p, Kind: sp(LinkCause)})
	b.refuse("pa", Command{Type: "link.add", FromID: c, ToID: p, Kind: sp(LinkCause)}, CodeConflict)
	e := b.note("pa", "col3", "dampak")
	b.do("pa", Command{Type: "link.add", FromID: p, ToID: e, Kind: sp(LinkEffect)})
	b.refuse("pa", Command{Type: "link.add", FromID: e, ToID: p, Kind: sp(LinkEffect)}, CodeInvalid)
}

// TestLinkWithoutKindLoadsAsAnswers: a link stored before links had kinds
// reads as answers.
func TestLinkWithoutKindLoadsAsAnswers(t *testing.T) {
	s := NewState(Session{ID: "s"})
	var l Link
	if err := json.Unmarshal([]byte(`{"id":"l1","fromId":"a","toId":"b"}`), &l); err != nil {
		t.Fatal(err)
	}
	s.Load(EntLink, &l)
	if got := s.Links["l1"].Kind; got != LinkAnswers {
		t.Errorf("kind = %q, want answers", got)
	}
}

// TestColumnKindEffect: column.add and column.update accept effect.
func TestColumnKindEffect(t *testing.T) {
	b := newBoard(t, KindProblem)
	id := b.created("fac", Command{Type: "column.add", Title: sp("Dampak"), Kind: sp(KindEffect)})
	if b.s.Columns[id].Kind != KindEffect {
		t.Errorf("kind = %q", b.s.Columns[id].Kind)
	}
	b.do("fac", Command{Type: "column.update", ID: "col1", Kind: sp(KindEffect)})
	b.refuse("fac", Command{Type: "column.update", ID: "col1", Kind: sp("dampak")}, CodeInvalid)
}
