package server_test

import (
	"testing"
)

// GET /board tells who is online, like the welcome does; the welcome shows
// the connecting participant online already.
func TestBoardHTTPShowsPresence(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	a := ts.join(s.JoinCode, "Ani")
	ts.join(s.JoinCode, "Budi")
	_, w := ts.connect(s.ID, a.Token, nil)
	online := func(b map[string]any) map[string]bool {
		out := map[string]bool{}
		for _, p := range b["participants"].([]any) {
			m := p.(map[string]any)
			out[m["name"].(string)] = m["online"].(bool)
		}
		return out
	}
	if got := online(w["board"].(map[string]any)); !got["Ani"] || got["Budi"] {
		t.Fatalf("welcome presence %v, want Ani online, Budi offline", got)
	}
	var b map[string]any
	if st := ts.do("GET", "/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, &b); st != 200 {
		t.Fatalf("board status %d", st)
	}
	if got := online(b); !got["Ani"] || got["Budi"] || got["Fasilitator"] {
		t.Fatalf("GET /board presence %v, want only Ani online", got)
	}
}

// A resume across a reveal gets the full board, never the pre-reveal
// history projected with today's visibility (which could show a note's
// earlier draft to the others).
func TestResumeAcrossRevealGetsBoard(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	a := ts.join(s.JoinCode, "Ani")
	b := ts.join(s.JoinCode, "Budi")
	fac, w := ts.connect(s.ID, s.FacilitatorToken, nil)
	col := columnIDs(w)[0]
	fac.ack("settings.update", "s1", map[string]any{"privateBrainstorm": true})
	cb, wb := ts.connect(s.ID, b.Token, nil)
	since := num(wb["board"].(map[string]any)["seq"])
	cb.c.Close()
	ca, _ := ts.connect(s.ID, a.Token, nil)
	id := ca.ack("note.add", "a1", map[string]any{"columnId": col, "text": "DRAF-RAHASIA"})["id"].(string)
	ca.ack("note.update", "a2", map[string]any{"id": id, "text": "versi akhir"})
	fac.ack("notes.reveal", "r1", nil)
	cb2, wel := ts.connect(s.ID, b.Token, &since)
	if _, ok := wel["board"]; !ok {
		t.Fatalf("resume across a reveal: got %v, want the full board", wel)
	}
	if bytesContain(cb2.raw.Bytes(), "DRAF-RAHASIA") {
		t.Fatalf("the draft text reached another participant")
	}
}
