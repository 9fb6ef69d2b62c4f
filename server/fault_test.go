//go:build linux

package server_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rembuk/internal/testenv"
)

// The database's disk fills during a session: the command that could not
// be stored gets an error (never an ack, never an event), every later
// write is refused even once space is free again, /healthz turns 503, the
// cause is logged, reads and connections go on, and after a restart the
// board holds exactly the acknowledged notes.
func TestFaultDiskFull(t *testing.T) {
	dir := testenv.MountTinyFS(t, 4<<20)
	path := filepath.Join(dir, "rembuk.db")
	logs := &logBuffer{}
	ts := startServer(t, path, withLog(logs), noCommandLimit)
	s, js, col := ts.setup("kosong", "Ani")
	ani := js[0]
	watcher, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}

	acked := map[string]bool{}
	var failStatus int
	var failBody map[string]any
	text := strings.Repeat("disk penuh ", 90)
	for i := 0; i < 5000; i++ {
		st, out := ts.post(s.ID, ani.Token, cmdOf("note.add", fmt.Sprint("n", i), map[string]any{"columnId": col, "text": fmt.Sprint(i, " ", text)}))
		if st != 200 {
			failStatus, failBody = st, out
			break
		}
		acked[out["id"].(string)] = true
	}
	if failStatus == 0 {
		t.Fatalf("the disk never filled")
	}
	t.Logf("disk full after %d acknowledged notes: %d %v", len(acked), failStatus, failBody)
	if failStatus != 503 || failBody["code"] != "unavailable" || failBody["type"] != "error" {
		t.Fatalf("the failing command: %d %v, want 503 unavailable", failStatus, failBody)
	}
	checkNoInternals(t, "failing command", []byte(fmt.Sprint(failBody)))

	healthz := func() int {
		resp, _ := ts.raw("GET", "/healthz", nil, "")
		return resp.StatusCode
	}
	if st := healthz(); st != 503 {
		t.Fatalf("healthz after the failure: %d, want 503", st)
	}
	// Space again: no retry, the server keeps refusing writes.
	os.Remove(filler)
	for i, c := range []struct{ tok, typ string }{{ani.Token, "note.add"}, {s.FacilitatorToken, "column.add"}} {
		st, out := ts.post(s.ID, c.tok, cmdOf(c.typ, fmt.Sprint("after", i), map[string]any{"columnId": col, "text": "x", "title": "x"}))
		if st != 503 || out["type"] == "ack" {
			t.Fatalf("%s after the failure: %d %v, want 503", c.typ, st, out)
		}
	}
	if st := ts.do("POST", "/api/join", "", map[string]any{"code": s.JoinCode, "name": "Baru"}, nil); st != 503 {
		t.Errorf("join after the failure: %d, want 503", st)
	}
	if st := ts.do("POST", "/api/sessions", "", map[string]any{"title": "T", "template": "kosong", "facilitatorName": "F"}, nil); st != 503 {
		t.Errorf("create after the failure: %d, want 503", st)
	}
	// A room whose write failed reloads; a hello that lands meanwhile is
	// told to try again (unavailable, close 1013), as the page does.
	var c *wsClient
	var w map[string]any
	for try := 0; ; try++ {
		c = ts.dial(s.ID)
		c.send(map[string]any{"type": "hello", "token": ani.Token})
		for w = c.next(); w["type"] == "presence"; w = c.next() {
		}
		if w["type"] == "welcome" {
			break
		}
		if w["code"] != "unavailable" || try == 20 {
			t.Fatalf("hello after the failure: %v", w)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if f := c.cmd("note.add", "ws-after", map[string]any{"columnId": col, "text": "x"}); f["type"] != "error" || f["code"] != "unavailable" {
		t.Errorf("WebSocket command after the failure: %v, want error unavailable", f)
	}
	if n := len(w["board"].(map[string]any)["notes"].([]any)); n != len(acked) {
		t.Errorf("welcome after the failure shows %d notes, want %d", n, len(acked))
	}
	if st := healthz(); st != 503 {
		t.Errorf("healthz with space again: %d, want 503 until a restart", st)
	}

	// The watcher saw an event for each acknowledged note and nothing else,
	// then was asked to reconnect.
	events := 0
	deadline := time.After(5 * time.Second)
	for done := false; !done; {
		select {
		case f := <-watcher.frames:
			var m map[string]any
			json.Unmarshal(f, &m)
			if m["type"] == "event" && m["event"] == "note.added" {
				id := m["data"].(map[string]any)["note"].(map[string]any)["id"].(string)
				if !acked[id] {
					t.Errorf("an event for a note that was not acknowledged: %s", f)
				}
				events++
			}
		case <-watcher.closed:
			if len(watcher.frames) == 0 {
				done = true
			}
		case <-deadline:
			done = true
		}
	}
	if events != len(acked) {
		t.Errorf("the watcher got %d note events, want %d", events, len(acked))
	}
	// (The store logs the cause, "database or disk is full": see
	// store/fault_test.go; the harness gives the store its own logger.)
	if l := logs.String(); !strings.Contains(l, `"level":"ERROR","msg":"storing changes failed`) {
		t.Errorf("the failure is not logged:\n%s", l)
	}

	// A restart (with space) serves again, with exactly the acked notes.
	ts.Stop()
	ts2 := startServer(t, path)
	var bd map[string]any
	if st := ts2.do("GET", "/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, &bd); st != 200 {
		t.Fatalf("board after restart: %d", st)
	}
	notes := bd["notes"].([]any)
	for _, n := range notes {
		if !acked[n.(map[string]any)["id"].(string)] {
			t.Errorf("after restart: a note that was never acknowledged: %v", n)
		}
	}
	if len(notes) != len(acked) {
		t.Errorf("after restart: %d notes, want %d", len(notes), len(acked))
	}
	if res, err := ts2.DB.IntegrityCheck(t.Context()); err != nil || res != "ok" {
		t.Errorf("integrity_check after restart: %q %v", res, err)
	}
	if resp, _ := ts2.raw("GET", "/healthz", nil, ""); resp.StatusCode != 200 {
		t.Errorf("healthz after restart: %d", resp.StatusCode)
	}
	if st, out := ts2.post(s.ID, ani.Token, cmdOf("note.add", "fresh", map[string]any{"columnId": col, "text": "lagi"})); st != 200 {
		t.Errorf("write after restart: %d %v", st, out)
	}
}
