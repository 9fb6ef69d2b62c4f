package board

import (
	"encoding/json"
	"fmt"
	"testing"
)

// apklBoard: a problem column with two notes and a group, a cause note,
// the facilitator and two participants, APKL on, in the screening step.
func apklBoard(t *testing.T, patch APKLPatch) (b *tb, n1, n2, grp, cause string) {
	t.Helper()
	b = newBoard(t, KindProblem, KindCause)
	b.participant("pa", "Ani", RoleParticipant)
	b.participant("pb", "Budi", RoleParticipant)
	n1 = b.note("pa", "col1", "Antrean panjang")
	n2 = b.note("pb", "col1", "Formulir rumit")
	cause = b.note("pa", "col2", "Petugas kurang")
	b.phase(PhaseGroup)
	grp = b.created("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("Layanan"), NoteIDs: []string{n2}})
	patch.Enabled = bp(true)
	b.settings(Command{APKL: &patch})
	b.phase(PhaseScreen)
	return
}

func rate(b *tb, who, target string, a, p, k, l int) *Change {
	b.t.Helper()
	return b.do(who, Command{Type: "apkl.score", TargetID: Str(target), A: ip(a), P: ip(p), K: ip(k), L: ip(l)})
}

func TestAPKLCheckMajority(t *testing.T) {
	b, n1, _, grp, _ := apklBoard(t, APKLPatch{})
	rate(b, "fac", n1, 1, 1, 1, 1)
	rate(b, "pa", n1, 1, 0, 1, 1)
	ch := rate(b, "pb", n1, 0, 0, 1, 1)
	got := ch.Event.Data.(APKLData).APKL
	want := APKLResult{A: 2, P: 1, K: 3, L: 3, Total: 3, Raters: 3, OK: APKLFlags{A: true, K: true, L: true}}
	if got != want {
		t.Errorf("result = %+v, want %+v", got, want)
	}
	// A tie is no majority: 1 of 2 on the group.
	rate(b, "pa", grp, 1, 1, 1, 1)
	rate(b, "pb", grp, 1, 1, 1, 0)
	if r := b.s.APKLResultOf(grp); r.Passed || r.OK.L || !r.OK.A {
		t.Errorf("group result = %+v, want L failing on a tie", r)
	}
	rate(b, "pb", grp, 1, 1, 1, 1) // a new rating replaces the old one
	if r := b.s.APKLResultOf(grp); !r.Passed || r.Raters != 2 {
		t.Errorf("group after re-rating = %+v, want passed by 2", r)
	}
}

func TestAPKLScoreMeans(t *testing.T) {
	b, n1, n2, _, _ := apklBoard(t, APKLPatch{Mode: sp(APKLScore)})
	b.refuse("pa", Command{Type: "apkl.score", TargetID: Str(n1), A: ip(0), P: ip(3), K: ip(3), L: ip(3)}, CodeInvalid)
	b.refuse("pa", Command{Type: "apkl.score", TargetID: Str(n1), A: ip(6), P: ip(3), K: ip(3), L: ip(3)}, CodeInvalid)
	b.refuse("pa", Command{Type: "apkl.score", TargetID: Str(n1), A: ip(3), P: ip(3), K: ip(3)}, CodeInvalid)
	rate(b, "pa", n1, 5, 3, 2, 4)
	rate(b, "pb", n1, 4, 3, 4, 1)
	r := b.s.APKLResultOf(n1)
	want := APKLResult{A: 4.5, P: 3, K: 3, L: 2.5, Total: 13, Raters: 2, OK: APKLFlags{A: true, P: true, K: true}}
	if r != want {
		t.Errorf("result = %+v, want %+v", r, want)
	}
	rate(b, "fac", n2, 3, 3, 3, 3)
	if !b.s.APKLResultOf(n2).Passed {
		t.Errorf("means of exactly 3 should pass")
	}
	// The mode is fixed once items are rated.
	b.refuse("fac", Command{Type: "settings.update", APKL: &APKLPatch{Mode: sp(APKLCheck)}}, CodeConflict)
}

// TestAPKLRatersFacilitator: only the facilitator's ratings are taken or
// counted when raters is "facilitator", and switching it recounts.
func TestAPKLRatersFacilitator(t *testing.T) {
	b, n1, _, _, _ := apklBoard(t, APKLPatch{})
	rate(b, "pa", n1, 1, 1, 1, 1)
	rate(b, "pb", n1, 1, 1, 1, 1)
	rate(b, "fac", n1, 0, 0, 0, 0)
	if !b.s.APKLResultOf(n1).Passed {
		t.Fatalf("2 of 3 should pass")
	}
	ch := b.do("fac", Command{Type: "settings.update", APKL: &APKLPatch{Raters: sp(APKLRatersFac)}})
	d := ch.Event.Data.(NotesData)
	if r, ok := d.APKL[n1]; !ok || r.Passed || r.Raters != 1 {
		t.Errorf("settings.changed apkl = %+v, want n1 failing with 1 rater", d.APKL)
	}
	b.refuse("pa", Command{Type: "apkl.score", TargetID: Str(n1), A: ip(1), P: ip(1), K: ip(1), L: ip(1)}, CodeForbidden)
	rate(b, "fac", n1, 1, 1, 1, 1)
	if r := b.s.APKLResultOf(n1); !r.Passed || r.Raters != 1 {
		t.Errorf("result = %+v, want passed by the facilitator alone", r)
	}
}

// TestAPKLGatesUSG: with scope "passed" USG is refused on items that did
// not pass (and only on problem items); with scope "all" it is open.
func TestAPKLGatesUSG(t *testing.T) {
	b, n1, n2, grp, cause := apklBoard(t, APKLPatch{})
	b.refuse("pa", Command{Type: "apkl.score", TargetID: Str(cause), A: ip(1), P: ip(1), K: ip(1), L: ip(1)}, CodeInvalid)
	b.refuse("pa", Command{Type: "apkl.score", TargetID: Str(n1), A: ip(2), P: ip(1), K: ip(1), L: ip(1)}, CodeInvalid)
	rate(b, "pa", n1, 1, 1, 1, 1)
	rate(b, "pa", n2, 1, 0, 1, 1)
	b.refuse("pa", Command{Type: "usg.score", TargetID: Str(n1), U: 3, S: 3, G: 3}, CodeWrongPhase)
	b.phase(PhaseVote)
	b.refuse("pa", Command{Type: "apkl.score", TargetID: Str(n1), A: ip(1), P: ip(1), K: ip(1), L: ip(1)}, CodeWrongPhase)
	b.do("pa", Command{Type: "usg.score", TargetID: Str(n1), U: 3, S: 3, G: 3})
	b.do("pa", Command{Type: "usg.score", TargetID: Str(cause), U: 3, S: 3, G: 3})
	b.refuse("pa", Command{Type: "usg.score", TargetID: Str(n2), U: 3, S: 3, G: 3}, CodeInvalid)
	b.refuse("pb", Command{Type: "usg.score", TargetID: Str(grp), U: 3, S: 3, G: 3}, CodeInvalid)
	b.settings(Command{APKL: &APKLPatch{Scope: sp(APKLScopeAll)}})
	b.do("pb", Command{Type: "usg.score", TargetID: Str(grp), U: 3, S: 3, G: 3})
	b.do("pb", Command{Type: "usg.score", TargetID: Str(n2), U: 3, S: 3, G: 3})
	// APKL off: no gate at all.
	b.settings(Command{APKL: &APKLPatch{Scope: sp(APKLScopePassed), Enabled: bp(false)}})
	b.do("pa", Command{Type: "usg.score", TargetID: Str(n2), U: 4, S: 4, G: 4})
}

func TestAPKLSettingsAndPhase(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.refuse("fac", Command{Type: "phase.set", Phase: string(PhaseScreen)}, CodeInvalid)
	for _, p := range []APKLPatch{{Mode: sp("x")}, {Raters: sp("x")}, {Scope: sp("x")}} {
		b.refuse("fac", Command{Type: "settings.update", APKL: &p}, CodeInvalid)
	}
	b.settings(Command{APKL: &APKLPatch{Enabled: bp(true)}})
	if got := b.s.Session.Settings.APKL; got != (APKLSettings{true, APKLCheck, APKLRatersAll, APKLScopePassed}) {
		t.Errorf("settings = %+v, want on with the defaults", got)
	}
	b.phase(PhaseScreen)
	b.refuse("fac", Command{Type: "settings.update", APKL: &APKLPatch{Enabled: bp(false)}}, CodeConflict)
	b.phase(PhaseVote)
	b.settings(Command{APKL: &APKLPatch{Enabled: bp(false)}})
	// A session stored before APKL existed reads as off with the defaults.
	var st Settings
	if err := json.Unmarshal([]byte(`{"anonymous":false,"votesPerParticipant":5}`), &st); err != nil {
		t.Fatal(err)
	}
	if a := st.APKL; a.Enabled || a.ModeOf() != APKLCheck || a.RatersOf() != APKLRatersAll || a.ScopeOf() != APKLScopePassed {
		t.Errorf("old settings read as %+v", a)
	}
}

// TestAPKLProjection: everyone gets the team result; only the rater gets
// their own rating, live and in the snapshot; deleting an item drops it.
func TestAPKLProjection(t *testing.T) {
	b, n1, _, grp, _ := apklBoard(t, APKLPatch{})
	ch := rate(b, "pa", n1, 1, 0, 1, 1)
	rate(b, "pb", grp, 1, 1, 1, 1)
	for _, v := range []Viewer{{ID: "pa", Role: RoleParticipant}, {ID: "pb", Role: RoleParticipant}, {ID: "fac", Role: RoleFacilitator}} {
		out := b.s.Project(&ch.Event, b.s.ClassKey(&ch.Event, v))
		m := out.Data.(map[string]any)
		_, mine := m["myApkl"]
		if mine != (v.ID == "pa") || m["apkl"].(APKLResult).Raters != 1 {
			t.Errorf("%s got %v", v.ID, m)
		}
		snap := b.s.Snapshot(v, nil, t0)
		raw, _ := json.Marshal(snap)
		var js struct {
			Notes  []map[string]any `json:"notes"`
			Groups []map[string]any `json:"groups"`
		}
		if err := json.Unmarshal(raw, &js); err != nil {
			t.Fatal(err)
		}
		for _, n := range js.Notes {
			if n["id"] == n1 {
				_, mine := n["myApkl"]
				if n["apkl"] == nil || mine != (v.ID == "pa") {
					t.Errorf("%s snapshot note = %v", v.ID, n)
				}
			}
		}
		if g := js.Groups[0]; g["apkl"].(map[string]any)["passed"] != true {
			t.Errorf("%s snapshot group = %v", v.ID, g)
		}
	}
	b.phase(PhaseGroup)
	b.do("fac", Command{Type: "group.delete", ID: grp})
	if len(b.s.APKLRatings) != 1 || len(b.s.apklBy[grp]) != 0 {
		t.Errorf("ratings after deleting the group: %v", b.s.APKLRatings)
	}
}

// TestAPKLSequences drives random APKL sequences through the fuzz harness
// (every invariant of FuzzRules, the USG gate among them): ratings, USG
// scores, the step and the settings, on a board with problem notes and a
// group, and checks that the sequences reach accepted ratings, accepted
// USG scores and gated refusals.
func TestAPKLSequences(t *testing.T) {
	types := []string{"apkl.score", "apkl.score", "apkl.score", "apkl.score", "usg.score", "usg.score", "usg.score",
		"phase.set", "settings.update", "note.add", "note.move", "group.add"}
	seen := map[string]int{}
	for i := 0; i < 30; i++ {
		data := make([]byte, 400)
		x := uint32(i*2246822519 + 7)
		for j := range data {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			data[j] = byte(x)
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			b := newBoard(t, KindProblem, KindCause)
			b.participant("pa-2e", "Ani Penulis", RoleParticipant)
			b.participant("pb-3d", "Budi Pembaca", RoleParticipant)
			f := &fuzzRun{t: t, b: b, r: &fuzzBytes{b: data}, texts: map[string][]string{}, authors: map[string]string{}, anon: map[string]bool{},
				revealed: map[string]bool{}, exempt: map[string]int{}, replica: map[string][]byte{}}
			f.seedReplica()
			step := 0
			for _, who := range fuzzActors {
				f.step(step, who, Command{Type: "note.add", ColumnID: "col1", Text: sp("masalah " + who)})
				step++
			}
			f.step(step, "fac", Command{Type: "settings.update", APKL: &APKLPatch{Enabled: bp(true)}})
			f.step(step+1, "fac", Command{Type: "phase.set", Phase: string(PhaseScreen)})
			for step += 2; step < 120 && !f.r.done(); step++ {
				op := f.r.next()
				actor := fuzzActors[op%len(fuzzActors)]
				cmd := f.command(types[f.r.next()%len(types)])
				if cmd.Type == "phase.set" {
					cmd.Phase = []string{"screen", "vote"}[f.r.next()%2]
				}
				if cmd.Type == "settings.update" {
					cmd.Anonymous, cmd.PrivateBrainstorm, cmd.Locked = nil, nil, nil
				}
				before := f.b.s.Seq
				f.step(step, actor, cmd)
				key := cmd.Type
				if f.b.s.Seq != before {
					key += "/ok"
				} else if cmd.Type == "usg.score" && f.b.s.Session.Phase == PhaseVote && f.b.s.ScreenedOut(cmd.TargetID.Value) {
					key += "/gated"
				}
				seen[key]++
			}
			f.checkReplay()
		})
	}
	for _, k := range []string{"apkl.score/ok", "usg.score/ok", "usg.score/gated", "settings.update/ok"} {
		if seen[k] == 0 {
			t.Errorf("the sequences never reached %s (%v)", k, seen)
		}
	}
	t.Logf("reached: %v", seen)
}
