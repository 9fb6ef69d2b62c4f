package server_test

import "testing"

// noteVotes returns the votes of note id in a list of projected notes.
func noteVotes(t *testing.T, notes any, id string) any {
	t.Helper()
	for _, x := range notes.([]any) {
		if m := x.(map[string]any); m["id"] == id {
			return m["votes"]
		}
	}
	t.Fatalf("note %s not in %v", id, notes)
	return nil
}

// TestHideResultsOverWebSocket: with settings.hideResults on, the
// participant's vote.changed, welcome snapshot and HTTP board carry no
// team totals while the notulis's do; closing the scoring (phase.set
// discuss) brings the totals to the participant in phase.changed.
func TestHideResultsOverWebSocket(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	n := tr.id(tr.fac, "note.add", map[string]any{"columnId": tr.colIDs[0], "text": "antrian panjang"})
	tr.ok(tr.fac, "settings.update", map[string]any{"hideResults": true})
	tr.refuse(tr.par, "settings.update", map[string]any{"hideResults": false}, "forbidden")
	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "vote"})
	vote := tr.ok(tr.fac, "vote.cast", map[string]any{"targetId": n})
	if d := tr.eventFor(tr.par, num(vote["seq"]))["data"].(map[string]any); d["votes"] != 0.0 {
		t.Errorf("participant: vote.changed = %v, want votes 0", d)
	}
	if d := tr.eventFor(tr.not, num(vote["seq"]))["data"].(map[string]any); d["votes"] != 1.0 {
		t.Errorf("notulis: vote.changed = %v, want votes 1", d)
	}
	_, w := tr.ts.connect(tr.s.ID, tr.parTok, nil)
	if v := noteVotes(t, w["board"].(map[string]any)["notes"], n); v != 0.0 {
		t.Errorf("participant's welcome: votes %v, want 0", v)
	}
	if v := noteVotes(t, tr.board(tr.parTok)["notes"], n); v != 0.0 {
		t.Errorf("participant's GET board: votes %v, want 0", v)
	}
	if v := noteVotes(t, tr.board(tr.notTok)["notes"], n); v != 1.0 {
		t.Errorf("notulis's GET board: votes %v, want 1", v)
	}
	ph := tr.ok(tr.fac, "phase.set", map[string]any{"phase": "discuss"})
	d := tr.eventFor(tr.par, num(ph["seq"]))["data"].(map[string]any)
	if d["phase"] != "discuss" || noteVotes(t, d["notes"], n) != 1.0 {
		t.Errorf("participant: phase.changed = %v, want the note's vote", d)
	}
	tr.checkSeq()
}
