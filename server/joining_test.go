package server_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"rembuk/board"
)

// joinStatus posts a join and returns the status and error code.
func (ts *testServer) joinStatus(body map[string]any) (int, string, joined) {
	ts.t.Helper()
	var out struct {
		joined
		Error struct{ Code string } `json:"error"`
	}
	st := ts.do("POST", "/api/join", "", body, &out)
	return st, out.Error.Code, out.joined
}

// A flooded session is rescued from the page's commands: the facilitator
// closes joining (403 joining_closed for new people, the ones inside keep
// their seats and may rejoin), and gives the session a new code that only
// the facilitator and the notulis receive, live and in snapshots; the old
// code stops working at once and after a restart.
func TestJoiningClosedAndCodeRotation(t *testing.T) {
	tr := newTrio(t, "kosong")
	ts := tr.ts
	parSSE := ts.sseOpen(tr.s.ID, tr.parTok, nil, true)
	parSSE.expect("welcome")

	// Only the facilitator may do either.
	tr.refuse(tr.par, "settings.update", map[string]any{"joiningClosed": true}, "forbidden")
	tr.refuse(tr.not, "settings.update", map[string]any{"joiningClosed": true}, "forbidden")
	tr.refuse(tr.par, "session.rotateCode", nil, "forbidden")
	tr.refuse(tr.not, "session.rotateCode", nil, "forbidden")

	tr.ok(tr.fac, "settings.update", map[string]any{"joiningClosed": true})
	for _, ev := range tr.lastEvents("settings.changed") {
		if st := eventData(ev)["settings"].(map[string]any); st["joiningClosed"] != true {
			t.Fatalf("settings.changed %v, want joiningClosed true", ev)
		}
	}
	before := len(tr.board(tr.s.FacilitatorToken)["participants"].([]any))
	st, code, _ := ts.joinStatus(map[string]any{"code": tr.s.JoinCode, "name": "Telat"})
	if st != 403 || code != "joining_closed" {
		t.Fatalf("join while closed: %d %s, want 403 joining_closed", st, code)
	}
	if n := len(tr.board(tr.s.FacilitatorToken)["participants"].([]any)); n != before {
		t.Fatalf("%d participants after a refused join, want %d", n, before)
	}
	// Someone already in comes back with their token.
	if st, _, j := ts.joinStatus(map[string]any{"code": tr.s.JoinCode, "name": tr.parName, "token": tr.parTok}); st >= 300 || j.ParticipantID != tr.parID {
		t.Fatalf("rejoin while closed: %d %v, want the same participant", st, j)
	}
	tr.ok(tr.fac, "settings.update", map[string]any{"joiningClosed": false})
	tr.join("Tepat")

	// A new code: staff read it, participants get the event without it.
	old := tr.s.JoinCode
	tr.ok(tr.fac, "session.rotateCode", nil)
	evs := tr.lastEvents("session.codeChanged")
	newCode, _ := eventData(evs[0])["joinCode"].(string)
	if len(newCode) != board.JoinCodeLen || newCode == old || strings.ContainsAny(newCode, "0O1IL") {
		t.Fatalf("new code %q (old %q)", newCode, old)
	}
	if got := eventData(evs[1])["joinCode"]; got != newCode {
		t.Fatalf("notulis got code %v, want %s", got, newCode)
	}
	if d := eventData(evs[2]); d["joinCode"] != nil {
		t.Fatalf("participant got %v, want joinCode null", d)
	}
	for {
		ev := parSSE.event()
		if num(ev["seq"]) == tr.last {
			if ev["event"] != "session.codeChanged" || eventData(ev)["joinCode"] != nil {
				t.Fatalf("participant's SSE got %v, want session.codeChanged without the code", ev)
			}
			break
		}
	}
	if strings.Contains(tr.par.raw.String(), newCode) || strings.Contains(parSSE.raw.String(), newCode) {
		t.Fatalf("the new code reached a participant's live channel")
	}
	snap := func(tok string) any { return tr.board(tok)["session"].(map[string]any)["joinCode"] }
	if snap(tr.s.FacilitatorToken) != newCode || snap(tr.notTok) != newCode {
		t.Fatalf("staff snapshots: %v / %v, want %s", snap(tr.s.FacilitatorToken), snap(tr.notTok), newCode)
	}
	if got := snap(tr.parTok); got != "" {
		t.Fatalf("participant's snapshot joinCode %v, want empty", got)
	}
	check := func(when string) {
		t.Helper()
		if st, _, _ := ts.joinStatus(map[string]any{"code": old, "name": "Kode Lama"}); st != 404 {
			t.Fatalf("%s: old code %d, want 404", when, st)
		}
		if st, _, _ := ts.joinStatus(map[string]any{"code": strings.ToLower(newCode), "name": "Kode Baru"}); st != 201 {
			t.Fatalf("%s: new code %d, want 201", when, st)
		}
	}
	check("at once")
	tr.last++
	tr.checkSeq()

	// The code is on disk: a restarted server knows only the new one.
	path := ts.DBPath
	ts.Stop()
	ts2 := startServer(t, path)
	ts = ts2
	check("after a restart")
}

// Removed participants give their seat back: a session at 500 refuses the
// 501st (409 conflict) until the facilitator removes someone.
func TestRemovedParticipantsFreeSeats(t *testing.T) {
	ts := startServer(t, "", noCommandLimit)
	s := ts.create("kosong")
	var ids sync.Map
	var next atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i >= board.MaxParticipants { // the facilitator is one
					return
				}
				st, code, j := ts.joinStatus(map[string]any{"code": s.JoinCode, "name": fmt.Sprint("Banjir ", i)})
				if st != 201 {
					t.Errorf("join %d: %d %s", i, st, code)
					return
				}
				ids.Store(i, j.ParticipantID)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if st, code, _ := ts.joinStatus(map[string]any{"code": s.JoinCode, "name": "Satu lagi"}); st != 409 || code != "conflict" {
		t.Fatalf("join 501: %d %s, want 409 conflict", st, code)
	}
	fac, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
	for i := int64(1); i <= 10; i++ {
		id, _ := ids.Load(i)
		fac.ack("participant.remove", fmt.Sprint("rm", i), map[string]any{"id": id})
	}
	for i := 0; i < 10; i++ {
		if st, code, _ := ts.joinStatus(map[string]any{"code": s.JoinCode, "name": fmt.Sprint("Pengganti ", i)}); st != 201 {
			t.Fatalf("join after removals %d: %d %s, want 201", i, st, code)
		}
	}
	if st, _, _ := ts.joinStatus(map[string]any{"code": s.JoinCode, "name": "Kelebihan"}); st != 409 {
		t.Fatalf("join past the freed seats: %d, want 409", st)
	}
}
