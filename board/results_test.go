package board

import (
	"strings"
	"testing"
)

// resultsBoard is viewBoard in the vote phase with results hidden: pa and
// fac voted and scored note n, and group g (holding m) got one vote of pa.
func resultsBoard(t *testing.T) (b *tb, n, g string) {
	t.Helper()
	b = viewBoard(t)
	n = b.note("pb", "col1", "antrian panjang")
	m := b.note("pb", "col1", "loket sedikit")
	g = b.created("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("Layanan"), NoteIDs: []string{m}})
	b.settings(Command{HideResults: bp(true)})
	b.phase(PhaseVote)
	b.vote("pa", n)
	b.vote("fac", n)
	b.vote("pa", g)
	b.do("pa", Command{Type: "usg.score", TargetID: Str(n), U: 5, S: 4, G: 3})
	b.do("fac", Command{Type: "usg.score", TargetID: Str(n), U: 1, S: 1, G: 1})
	return b, n, g
}

func snapGroup(b *tb, v Viewer, id string) map[string]any {
	b.t.Helper()
	snap := asMap(b.t, mustJSON(b.t, b.s.Snapshot(v, nil, b.now)))
	for _, x := range snap["groups"].([]any) {
		if m := x.(map[string]any); m["id"] == id {
			return m
		}
	}
	b.t.Fatalf("group %s not in %s's snapshot", id, v.ID)
	return nil
}

func usgU(m map[string]any) any { return m["usg"].(map[string]any)["u"] }

func TestHideResultsSnapshot(t *testing.T) {
	b, n, g := resultsBoard(t)
	// A participant, voter or not, gets no totals, but their own votes and score.
	for _, who := range []string{"pa", "pb"} {
		note := b.snapNote(b.viewer(who), n)
		if note["votes"] != 0.0 || usgU(note) != 0.0 || note["usgByUnit"] != nil {
			t.Errorf("%s sees results while hidden: %v", who, note)
		}
		if gr := snapGroup(b, b.viewer(who), g); gr["votes"] != 0.0 {
			t.Errorf("%s sees the group's votes while hidden: %v", who, gr)
		}
	}
	pa := b.snapNote(b.viewer("pa"), n)
	if pa["myVotes"] != 1.0 || pa["myUsg"].(map[string]any)["u"] != 5.0 {
		t.Errorf("pa lost their own vote or score: %v", pa)
	}
	if gr := snapGroup(b, b.viewer("pa"), g); gr["myVotes"] != 1.0 {
		t.Errorf("pa lost their own group vote: %v", gr)
	}
	if left := b.s.Snapshot(b.viewer("pa"), nil, b.now).You.VotesLeft; left != 3 {
		t.Errorf("pa votesLeft = %d, want 3", left)
	}
	// Staff see every total.
	for _, who := range []string{"fac", "not"} {
		note := b.snapNote(b.viewer(who), n)
		if note["votes"] != 2.0 || usgU(note) != 3.0 {
			t.Errorf("%s: note = %v, want 2 votes, U 3", who, note)
		}
		if gr := snapGroup(b, b.viewer(who), g); gr["votes"] != 1.0 {
			t.Errorf("%s: group = %v, want 1 vote", who, gr)
		}
	}
	// Off: everyone sees them again.
	b.settings(Command{HideResults: bp(false)})
	if note := b.snapNote(b.viewer("pb"), n); note["votes"] != 2.0 || usgU(note) != 3.0 {
		t.Errorf("pb after the switch is off: %v", note)
	}
}

func TestHideResultsEvents(t *testing.T) {
	b, n, g := resultsBoard(t)
	ch := b.vote("pa", n)
	for who, want := range map[string]float64{"pa": 0, "pb": 0, "fac": 3, "not": 3} {
		d := b.eventFrame(ch.Event, b.viewer(who))["data"].(map[string]any)
		if d["votes"] != want {
			t.Errorf("%s: vote.changed = %v, want votes %v", who, d, want)
		}
	}
	if d := b.eventFrame(ch.Event, b.viewer("pa"))["data"].(map[string]any); d["myVotes"] != 2.0 {
		t.Errorf("pa: vote.changed lacks its own count: %v", d)
	}
	ch = b.do("pb", Command{Type: "usg.score", TargetID: Str(n), U: 3, S: 3, G: 3})
	for who, want := range map[string]float64{"pa": 0, "pb": 0, "fac": 3} {
		d := b.eventFrame(ch.Event, b.viewer(who))["data"].(map[string]any)
		if usgU(d) != want {
			t.Errorf("%s: usg.changed = %v, want U %v", who, d, want)
		}
	}
	if d := b.eventFrame(ch.Event, b.viewer("pb"))["data"].(map[string]any); d["myUsg"] == nil {
		t.Errorf("pb: usg.changed lacks its own score: %v", d)
	}
	// A participant and the facilitator never share an encoding while hidden.
	if b.s.ClassKey(&ch.Event, b.viewer("pb")) == b.s.ClassKey(&ch.Event, b.viewer("fac")) {
		t.Errorf("participant and facilitator share a class while results are hidden")
	}
	up := b.do("fac", Command{Type: "group.update", ID: g, Title: sp("Pelayanan")})
	if d := b.eventFrame(up.Event, b.viewer("pb"))["data"].(map[string]any); d["group"].(map[string]any)["votes"] != 0.0 {
		t.Errorf("pb: group.updated shows votes: %v", d)
	}
}

// Closing the scoring reveals: phase.changed carries every note and group
// with their totals, to participants too.
func TestHideResultsPhaseReveals(t *testing.T) {
	b, n, g := resultsBoard(t)
	ch := b.do("fac", Command{Type: "phase.set", Phase: string(PhaseDiscuss)})
	if Replayable([]Event{ch.Event}) {
		t.Errorf("a phase.changed that reveals results is replayable one by one")
	}
	d := b.eventFrame(ch.Event, b.viewer("pb"))["data"].(map[string]any)
	if d["phase"] != "discuss" {
		t.Fatalf("phase.changed = %v", d)
	}
	found := false
	for _, x := range d["notes"].([]any) {
		if m := x.(map[string]any); m["id"] == n {
			found = true
			if m["votes"] != 2.0 || usgU(m) != 3.0 {
				t.Errorf("revealed note = %v, want 2 votes, U 3", m)
			}
		}
	}
	if !found {
		t.Errorf("phase.changed carries no note %s: %v", n, d)
	}
	if gs := d["groups"].([]any); len(gs) != 1 || gs[0].(map[string]any)["id"] != g || gs[0].(map[string]any)["votes"] != 1.0 {
		t.Errorf("phase.changed groups = %v", gs)
	}
	// Back to vote hides them again, in the event too.
	ch = b.do("fac", Command{Type: "phase.set", Phase: string(PhaseVote)})
	d = b.eventFrame(ch.Event, b.viewer("pb"))["data"].(map[string]any)
	if d["groups"].([]any)[0].(map[string]any)["votes"] != 0.0 {
		t.Errorf("phase.changed back to vote shows group votes: %v", d)
	}
	// A change of phase that shows or hides nothing carries no notes.
	b.settings(Command{HideResults: bp(false)})
	ch = b.do("fac", Command{Type: "phase.set", Phase: string(PhaseDiscuss)})
	if s := string(project(t, b.s, &ch.Event, b.viewer("pb"))); strings.Contains(s, "notes") {
		t.Errorf("plain phase.changed = %s", s)
	}
}

// Switching the setting off mid-vote sends the results with settings.changed.
func TestHideResultsSettingReveals(t *testing.T) {
	b, n, _ := resultsBoard(t)
	ch := b.do("fac", Command{Type: "settings.update", HideResults: bp(false)})
	d := b.eventFrame(ch.Event, b.viewer("pb"))["data"].(map[string]any)
	if d["settings"].(map[string]any)["hideResults"] != false {
		t.Errorf("settings.changed = %v", d)
	}
	for _, x := range d["notes"].([]any) {
		if m := x.(map[string]any); m["id"] == n && m["votes"] != 2.0 {
			t.Errorf("settings.changed note = %v, want 2 votes", m)
		}
	}
	if d["groups"] == nil {
		t.Errorf("settings.changed lacks groups: %v", d)
	}
	b.refuse("pa", Command{Type: "settings.update", HideResults: bp(true)}, CodeForbidden)
}

// In the screen phase APKL results are withheld too; in vote they show
// (they decide what may be scored).
func TestHideResultsAPKL(t *testing.T) {
	b, n1, _, _, _ := apklBoard(t, APKLPatch{})
	b.settings(Command{HideResults: bp(true)})
	ch := rate(b, "fac", n1, 1, 1, 1, 1)
	if d := b.eventFrame(ch.Event, b.viewer("pb"))["data"].(map[string]any); d["apkl"] != nil {
		t.Errorf("pb: apkl.changed while hidden = %v", d)
	}
	if d := b.eventFrame(ch.Event, b.viewer("fac"))["data"].(map[string]any); d["apkl"] == nil {
		t.Errorf("fac: apkl.changed lacks the result: %v", d)
	}
	if note := b.snapNote(b.viewer("pb"), n1); note["apkl"] != nil {
		t.Errorf("pb: snapshot note has apkl while hidden: %v", note)
	}
	ch = b.do("fac", Command{Type: "phase.set", Phase: string(PhaseVote)})
	d := b.eventFrame(ch.Event, b.viewer("pb"))["data"].(map[string]any)
	if d["apkl"].(map[string]any)[n1] == nil {
		t.Errorf("phase.changed to vote lacks the APKL results: %v", d)
	}
	if note := b.snapNote(b.viewer("pb"), n1); note["apkl"] == nil {
		t.Errorf("pb: snapshot note lacks apkl in vote: %v", note)
	}
}
