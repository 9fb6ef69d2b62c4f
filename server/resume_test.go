package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

// welcomeEvents checks a resume welcome: seq is want and the events are
// exactly since+1..want in order; it returns them.
func welcomeEvents(t *testing.T, label string, wel map[string]any, since, want int64) []map[string]any {
	t.Helper()
	if _, ok := wel["board"]; ok {
		t.Fatalf("%s: got a full board, want the events after %d", label, since)
	}
	if got := num(wel["seq"]); got != want {
		t.Fatalf("%s: welcome seq %d, want %d", label, got, want)
	}
	raw, ok := wel["events"].([]any)
	if !ok {
		t.Fatalf("%s: welcome %v has no events array", label, wel)
	}
	if int64(len(raw)) != want-since {
		t.Fatalf("%s: %d events, want %d", label, len(raw), want-since)
	}
	out := make([]map[string]any, len(raw))
	for i, e := range raw {
		ev := e.(map[string]any)
		if ev["type"] != "event" || num(ev["seq"]) != since+int64(i)+1 {
			t.Fatalf("%s: event %d is %v, want seq %d", label, i, ev, since+int64(i)+1)
		}
		out[i] = ev
	}
	return out
}

// A participant who was away gets exactly the events of the others, each as
// a connected viewer of the same kind got it live, and then goes on live.
func TestResumeAfterOthersChanged(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	// A second connection of the participant stays as the witness of what
	// the participant receives live.
	witness := tr.connect(tr.parTok)
	away := tr.last
	tr.par.c.Close()

	n1 := tr.id(tr.not, "note.add", map[string]any{"columnId": tr.colIDs[0], "text": "dari notulis"})
	tr.ok(tr.not, "note.update", map[string]any{"id": n1, "text": "diubah notulis", "color": "blue"})
	n2 := tr.id(tr.fac, "note.add", map[string]any{"columnId": tr.colIDs[1], "text": "dari fasilitator"})
	tr.ok(tr.fac, "note.move", map[string]any{"id": n1, "columnId": tr.colIDs[2]})
	tr.ok(tr.fac, "note.delete", map[string]any{"id": n2})
	tr.join("Pendatang Baru")
	tr.ok(tr.fac, "settings.update", map[string]any{"votesPerParticipant": 3})
	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "group"})
	tr.ok(tr.not, "action.add", map[string]any{"text": "tindak", "owner": "Budi", "due": "2026-12-01"})

	back, wel := tr.ts.connect(tr.s.ID, tr.parTok, &away)
	evs := welcomeEvents(t, "resume", wel, away, tr.last)
	names := []string{"note.added", "note.updated", "note.added", "note.moved", "note.deleted",
		"participant.joined", "settings.changed", "phase.changed", "action.added"}
	for i, ev := range evs {
		if ev["event"] != names[i] {
			t.Fatalf("replayed event %d is %v, want %s", i, ev["event"], names[i])
		}
		live := tr.eventFor(witness, num(ev["seq"]))
		if !reflect.DeepEqual(ev, live) {
			t.Errorf("seq %d: replay %v differs from the live frame %v", num(ev["seq"]), ev, live)
		}
	}
	// And the resumed connection goes on live from there.
	tr.first[back] = tr.last + 1
	tr.ok(tr.fac, "note.add", map[string]any{"columnId": tr.colIDs[0], "text": "sesudahnya"})
	tr.ok(back, "note.move", map[string]any{"id": n1, "columnId": tr.colIDs[0]}) // anyone sorts in phase group
	tr.checkSeq(tr.fac, tr.not, witness, back)
}

// since 0 replays the whole log; on a fresh session it is an empty list.
func TestResumeSinceZero(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	zero := int64(0)
	_, wel := ts.connect(s.ID, s.FacilitatorToken, &zero)
	welcomeEvents(t, "fresh session", wel, 0, 0)
	if !bytes.Contains(mustJSON(wel), []byte(`"events":[]`)) {
		t.Fatalf("fresh session: events %v, want an empty array (not null)", wel["events"])
	}
	a := ts.join(s.JoinCode, "Ani")
	c, w := ts.connect(s.ID, a.Token, nil)
	c.ack("note.add", "a", map[string]any{"columnId": columnIDs(w)[0], "text": "satu"})
	c.ack("note.add", "b", map[string]any{"columnId": columnIDs(w)[0], "text": "dua"})
	_, wel = ts.connect(s.ID, a.Token, &zero)
	evs := welcomeEvents(t, "since 0", wel, 0, 3)
	for i, name := range []string{"participant.joined", "note.added", "note.added"} {
		if evs[i]["event"] != name {
			t.Fatalf("event %d: %v, want %s", i, evs[i]["event"], name)
		}
	}
	// Nothing missed: an empty list at the current seq.
	cur := int64(3)
	_, wel = ts.connect(s.ID, a.Token, &cur)
	welcomeEvents(t, "since current", wel, 3, 3)
}

// flood stores n small events through the HTTP command path (which has
// no per-connection rate), several at a time.
func flood(t *testing.T, ts *testServer, sessionID, token string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	work := make(chan int)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				body, _ := json.Marshal(map[string]any{"type": "timer.start", "ref": fmt.Sprint("flood", i), "seconds": 1 + i%7000})
				req, _ := http.NewRequest("POST", ts.URL+"/api/sessions/"+sessionID+"/commands", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("command %d: status %d", i, resp.StatusCode)
					}
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
}

// Every since either gets exactly the missed events (from memory or from the
// log, before and after a restart) or, when too old, negative or ahead, the
// full board.
func TestResumeSinceEdges(t *testing.T) {
	if testing.Short() {
		t.Skip("stores over 5,000 events")
	}
	path := filepath.Join(t.TempDir(), "r.db")
	ts := startServer(t, path, noCommandLimit)
	s := ts.create("kosong")
	a := ts.join(s.JoinCode, "Ani")
	const n = 5010
	flood(t, ts, s.ID, s.FacilitatorToken, n)
	seq := int64(n + 1) // the join, then the flood
	check := func(label string, since int64, full bool) {
		t.Helper()
		_, wel := ts.connect(s.ID, a.Token, &since)
		if full {
			b, ok := wel["board"].(map[string]any)
			if !ok || num(b["seq"]) != seq {
				t.Fatalf("%s: since %d: got %.200v, want the full board at seq %d", label, since, wel, seq)
			}
			return
		}
		welcomeEvents(t, label, wel, since, seq)
	}
	for _, pass := range []string{"live room", "after restart"} {
		check(pass, seq, false)
		check(pass, seq-1, false)
		check(pass, seq-1024, false) // the in-memory window
		check(pass, seq-1025, false) // just past it: from the log
		check(pass, seq-5000, false) // the longest replay
		check(pass, seq-5001, true)  // too old
		check(pass, 0, true)
		check(pass, -1, true)
		check(pass, seq+1, true) // ahead of the session
		if pass == "live room" {
			ts.Stop()
			ts = startServer(t, path)
		}
	}
}

// The same ref sent at once on two connections of one participant is
// stored once; both connections get the same ack, and everyone sees one
// event.
func TestSameRefTwoConnectionsAtOnce(t *testing.T) {
	tr := newTrio(t, "kosong")
	second := tr.connect(tr.parTok)
	col := tr.colIDs[0]
	const rounds = 15
	ids := map[string]bool{}
	var firstAck map[string]any
	for i := 0; i < rounds; i++ {
		ref := fmt.Sprint("dup", i)
		f1 := map[string]any{"type": "note.add", "ref": ref, "columnId": col, "text": fmt.Sprint("pertama ", i)}
		f2 := map[string]any{"type": "note.add", "ref": ref, "columnId": col, "text": fmt.Sprint("kedua ", i)}
		b1, b2 := mustJSON(f1), mustJSON(f2)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); tr.par.c.WriteMessage(1, b1) }()
		go func() { defer wg.Done(); second.c.WriteMessage(1, b2) }()
		wg.Wait()
		a1 := answerTo(t, tr.par, ref)
		a2 := answerTo(t, second, ref)
		if a1["type"] != "ack" || a2["type"] != "ack" {
			t.Fatalf("round %d: answers %v and %v, want two acks", i, a1, a2)
		}
		if a1["seq"] != a2["seq"] || a1["id"] != a2["id"] {
			t.Fatalf("round %d: acks %v and %v differ", i, a1, a2)
		}
		if num(a1["seq"]) != tr.last+1 {
			t.Fatalf("round %d: ack seq %v, want %d", i, a1["seq"], tr.last+1)
		}
		tr.last++
		ids[a1["id"].(string)] = true
		if i == 0 {
			firstAck = a1
		}
	}
	// Once more after the fact, with other content: the first ack again.
	again := second.ack("note.add", "dup0", map[string]any{"columnId": col, "text": "lain sama sekali"})
	if again["seq"] != firstAck["seq"] || again["id"] != firstAck["id"] {
		t.Fatalf("resent ref acked as %v, want the first ack %v", again, firstAck)
	}
	b := tr.board(tr.s.FacilitatorToken)
	if notes := b["notes"].([]any); len(notes) != rounds || len(ids) != rounds {
		t.Fatalf("board has %d notes, %d distinct ids, want %d", len(notes), len(ids), rounds)
	}
	// Nothing else was stored: the next change takes the next seq.
	tr.ok(tr.fac, "timer.stop", nil)
	tr.checkSeq(tr.fac, tr.not, tr.par, second)
}

// answerTo waits for the ack or error of ref on w.
func answerTo(t *testing.T, w *wsClient, ref string) map[string]any {
	t.Helper()
	for {
		f := w.next()
		if (f["type"] == "ack" || f["type"] == "error") && f["ref"] == ref {
			return f
		}
	}
}
