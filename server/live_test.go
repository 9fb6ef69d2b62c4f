package server_test

import (
	"fmt"
	"testing"
)

// Three participants see each other's changes in order, with contiguous seq,
// and a refused command reaches only its sender.
func TestLiveThreeParticipants(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("masalah-inovasi")
	a := ts.join(s.JoinCode, "Ani")
	b := ts.join(s.JoinCode, "Bayu")
	fac, w := ts.connect(s.ID, s.FacilitatorToken, nil)
	ca, _ := ts.connect(s.ID, a.Token, nil)
	cb, _ := ts.connect(s.ID, b.Token, nil)
	col := columnIDs(w)[0]
	col2 := columnIDs(w)[1]
	seq := num(w["board"].(map[string]any)["seq"])

	id := ca.ack("note.add", "a1", map[string]any{"columnId": col, "text": "Antrian layanan panjang"})["id"].(string)
	if e := cb.cmd("note.update", "b1", map[string]any{"id": id, "text": "diubah"}); e["code"] != "forbidden" {
		t.Fatalf("update by non-author: got %v, want forbidden", e)
	}
	ca.ack("note.update", "a2", map[string]any{"id": id, "text": "Antrian sangat panjang", "color": "pink"})
	ca.ack("note.move", "a3", map[string]any{"id": id, "columnId": col2})
	fac.ack("note.delete", "f1", map[string]any{"id": id})

	want := []string{"note.added", "note.updated", "note.moved", "note.deleted"}
	for _, c := range []*wsClient{fac, ca, cb} {
		for i, name := range want {
			ev := c.event()
			if ev["event"] != name {
				t.Fatalf("event %d: got %v, want %s", i, ev["event"], name)
			}
			if got := num(ev["seq"]); got != seq+int64(i)+1 {
				t.Fatalf("%s: seq %d, want %d", name, got, seq+int64(i)+1)
			}
		}
	}
}

// The same ref twice changes nothing more and is acked with the first seq
// and id, also on another connection and after a restart.
func TestIdempotentRef(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir+"/r.db")
	s := ts.create("kosong")
	a := ts.join(s.JoinCode, "Ani")
	c1, w := ts.connect(s.ID, a.Token, nil)
	col := columnIDs(w)[0]
	first := c1.ack("note.add", "same", map[string]any{"columnId": col, "text": "sekali saja"})
	again := c1.ack("note.add", "same", map[string]any{"columnId": col, "text": "sekali saja"})
	if first["seq"] != again["seq"] || first["id"] != again["id"] {
		t.Fatalf("second ack %v differs from first %v", again, first)
	}
	ts.Stop()
	ts2 := startServer(t, dir+"/r.db")
	c2, w2 := ts2.connect(s.ID, a.Token, nil)
	third := c2.ack("note.add", "same", map[string]any{"columnId": col, "text": "sekali saja"})
	if third["seq"] != first["seq"] || third["id"] != first["id"] {
		t.Fatalf("ack after restart %v differs from first %v", third, first)
	}
	notes := w2["board"].(map[string]any)["notes"].([]any)
	if len(notes) != 1 {
		t.Fatalf("board has %d notes, want 1", len(notes))
	}
}

// Resume with since gets exactly the missed events.
func TestResumeSince(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	a := ts.join(s.JoinCode, "Ani")
	fac, w := ts.connect(s.ID, s.FacilitatorToken, nil)
	col := columnIDs(w)[0]
	ca, wa := ts.connect(s.ID, a.Token, nil)
	last := num(wa["board"].(map[string]any)["seq"])
	ca.c.Close()
	for i := 0; i < 5; i++ {
		fac.ack("note.add", fmt.Sprint("f", i), map[string]any{"columnId": col, "text": fmt.Sprint("catatan ", i)})
	}
	_, wel := ts.connect(s.ID, a.Token, &last)
	evs, ok := wel["events"].([]any)
	if !ok || len(evs) != 5 {
		t.Fatalf("welcome %v: want 5 events", wel)
	}
	for i, e := range evs {
		if got := num(e.(map[string]any)["seq"]); got != last+int64(i)+1 {
			t.Fatalf("event %d seq %d, want %d", i, got, last+int64(i)+1)
		}
	}
	if num(wel["seq"]) != last+5 {
		t.Fatalf("welcome seq %v, want %d", wel["seq"], last+5)
	}
	// A since ahead of the session gets the full board.
	ahead := last + 100
	_, wel2 := ts.connect(s.ID, a.Token, &ahead)
	if _, ok := wel2["board"]; !ok {
		t.Fatalf("since ahead: got %v, want a board", wel2)
	}
}

// Shutdown closes sockets with 1001.
func TestShutdownCloses1001(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	c, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
	ts.Stop()
	if code := c.waitClose(); code != 1001 {
		t.Fatalf("close code %d, want 1001", code)
	}
}
