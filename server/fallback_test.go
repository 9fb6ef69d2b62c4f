package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// POST /commands answers 200 with the ack frame, and refusals with the
// contract's status and an error the client can read either as an error
// frame or as the contract's {"error":{code,message}}.
func TestFallbackCommandsAckAndErrors(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani", "Bayu")
	ani, bayu := js[0], js[1]

	st, ack := ts.post(s.ID, ani.Token, cmdOf("note.add", "h1", map[string]any{"columnId": col, "text": "lewat HTTP"}))
	if st != 200 || ack["type"] != "ack" || ack["ref"] != "h1" || ack["id"] == nil || num(ack["seq"]) < 1 {
		t.Fatalf("note.add: %d %v, want 200 ack with id and seq", st, ack)
	}
	noteID := ack["id"].(string)

	// The same ref again: acked with the first seq and id, nothing added.
	st, again := ts.post(s.ID, ani.Token, cmdOf("note.add", "h1", map[string]any{"columnId": col, "text": "lewat HTTP"}))
	if st != 200 || again["seq"] != ack["seq"] || again["id"] != ack["id"] {
		t.Fatalf("repeat: %d %v, want the first ack %v", st, again, ack)
	}
	// A ref first sent over the WebSocket is acked the same over HTTP, and
	// the other way round.
	ws, _ := ts.connect(s.ID, ani.Token, nil)
	wsAck := ws.ack("note.add", "w1", map[string]any{"columnId": col, "text": "lewat WS"})
	if st, a := ts.post(s.ID, ani.Token, cmdOf("note.add", "w1", map[string]any{"columnId": col, "text": "lewat WS"})); st != 200 || a["seq"] != wsAck["seq"] || a["id"] != wsAck["id"] {
		t.Fatalf("WS ref over HTTP: %d %v, want %v", st, a, wsAck)
	}
	if a := ws.ack("note.add", "h1", map[string]any{"columnId": col, "text": "lewat HTTP"}); a["seq"] != ack["seq"] || a["id"] != ack["id"] {
		t.Fatalf("HTTP ref over WS: %v, want %v", a, ack)
	}
	var b map[string]any
	ts.do("GET", "/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, &b)
	if n := len(b["notes"].([]any)); n != 2 {
		t.Fatalf("board has %d notes, want 2", n)
	}

	bigText := strings.Repeat("x", 70<<10)
	cases := []struct {
		name   string
		token  string
		sid    string
		body   any
		status int
		code   string
	}{
		{"no token", "", s.ID, cmdOf("note.add", "e1", map[string]any{"columnId": col, "text": "x"}), 401, "unauthorized"},
		{"bad token", "not-a-token", s.ID, cmdOf("note.add", "e2", map[string]any{"columnId": col, "text": "x"}), 401, "unauthorized"},
		{"unknown session", ani.Token, "00000000-0000-4000-8000-000000000000", cmdOf("note.add", "e3", map[string]any{"columnId": col, "text": "x"}), 404, "not_found"},
		{"unknown session, no token", "", "00000000-0000-4000-8000-000000000000", cmdOf("note.add", "e3b", map[string]any{"columnId": col, "text": "x"}), 404, "not_found"},
		{"not json", ani.Token, s.ID, "{nope", 400, "invalid"},
		{"unknown type", ani.Token, s.ID, cmdOf("note.explode", "e4", nil), 400, "invalid"},
		{"text too long", ani.Token, s.ID, cmdOf("note.add", "e5", map[string]any{"columnId": col, "text": strings.Repeat("y", 1001)}), 400, "invalid"},
		{"not the author", bayu.Token, s.ID, cmdOf("note.update", "e6", map[string]any{"id": noteID, "text": "diubah"}), 403, "forbidden"},
		{"participant sets phase", bayu.Token, s.ID, cmdOf("phase.set", "e7", map[string]any{"phase": "vote"}), 403, "forbidden"},
		{"vote in brainstorm", bayu.Token, s.ID, cmdOf("vote.cast", "e8", map[string]any{"targetId": noteID}), 409, "wrong_phase"},
		{"unknown note", bayu.Token, s.ID, cmdOf("note.delete", "e9", map[string]any{"id": "00000000-0000-4000-8000-000000000001"}), 404, "not_found"},
		{"body over 64 KiB", ani.Token, s.ID, `{"type":"note.add","ref":"e10","text":"` + bigText + `"}`, 413, "too_large"},
	}
	for _, c := range cases {
		var out map[string]any
		st := ts.do("POST", "/api/sessions/"+c.sid+"/commands", c.token, c.body, &out)
		if st != c.status {
			t.Errorf("%s: status %d, want %d (%v)", c.name, st, c.status, out)
			continue
		}
		checkCommandError(t, c.name, out, c.code)
	}

	// Budget, lock and close through the same path.
	fac := s.FacilitatorToken
	post := func(tok, typ, ref string, f map[string]any) (int, map[string]any) {
		return ts.post(s.ID, tok, cmdOf(typ, ref, f))
	}
	for _, c := range []struct {
		tok, typ, ref string
		f             map[string]any
	}{
		{fac, "settings.update", "f1", map[string]any{"votesPerParticipant": 1}},
		{fac, "phase.set", "f2", map[string]any{"phase": "vote"}},
		{bayu.Token, "vote.cast", "b1", map[string]any{"targetId": noteID}},
	} {
		if st, a := post(c.tok, c.typ, c.ref, c.f); st != 200 || a["type"] != "ack" {
			t.Fatalf("%s: %d %v", c.typ, st, a)
		}
	}
	if st, e := post(bayu.Token, "vote.cast", "b2", map[string]any{"targetId": noteID}); st != 409 {
		t.Errorf("over budget: %d %v, want 409", st, e)
	} else {
		checkCommandError(t, "over budget", e, "budget_exceeded")
	}
	post(fac, "settings.update", "f3", map[string]any{"locked": true})
	if st, e := post(bayu.Token, "vote.retract", "b3", map[string]any{"targetId": noteID}); st != 423 {
		t.Errorf("locked: %d %v, want 423", st, e)
	} else {
		checkCommandError(t, "locked", e, "locked")
	}
	post(fac, "session.close", "f4", nil)
	if st, e := post(fac, "phase.set", "f5", map[string]any{"phase": "discuss"}); st != 409 {
		t.Errorf("closed: %d %v, want 409", st, e)
	} else {
		checkCommandError(t, "closed", e, "closed")
	}
}

// SSE: the token by header or ?token=, a welcome, then every event and
// presence frame as data lines; since gives exactly the missed events.
func TestFallbackSSEStream(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani")
	ani := js[0]

	byHeader := ts.sseOpen(s.ID, ani.Token, nil, false)
	w := byHeader.expect("welcome")
	bd, ok := w["board"].(map[string]any)
	if !ok {
		t.Fatalf("welcome %v: want a board", w)
	}
	if you := bd["you"].(map[string]any); you["id"] != ani.ParticipantID {
		t.Fatalf("welcome is for %v, want %s", you["id"], ani.ParticipantID)
	}
	seq0 := num(bd["seq"])
	byQuery := ts.sseOpen(s.ID, ani.Token, nil, true)
	byQuery.expect("welcome")
	// A presence frame tells the others Ani is online.
	if p := byHeader.expect("presence"); len(p["participants"].([]any)) != 2 {
		t.Fatalf("presence %v: want 2 participants", p)
	}

	for i := 0; i < 3; i++ {
		ts.post(s.ID, s.FacilitatorToken, cmdOf("note.add", fmt.Sprint("f", i), map[string]any{"columnId": col, "text": fmt.Sprint("catatan ", i)}))
	}
	for _, c := range []*sseClient{byHeader, byQuery} {
		for i := 0; i < 3; i++ {
			ev := c.event()
			if ev["event"] != "note.added" || num(ev["seq"]) != seq0+int64(i)+1 {
				t.Fatalf("event %d: %v, want note.added seq %d", i, ev, seq0+int64(i)+1)
			}
		}
	}
	// since: exactly the events after it.
	resumed := ts.sseOpen(s.ID, ani.Token, ptr(seq0+1), false)
	wel := resumed.expect("welcome")
	evs, _ := wel["events"].([]any)
	if len(evs) != 2 || num(wel["seq"]) != seq0+3 || num(evs[0].(map[string]any)["seq"]) != seq0+2 {
		t.Fatalf("since=%d: welcome %v, want events %d..%d", seq0+1, wel, seq0+2, seq0+3)
	}

	// Refusals.
	if _, st := ts.sseTry(s.ID, "", nil, false); st != 401 {
		t.Errorf("no token: status %d, want 401", st)
	}
	if _, st := ts.sseTry(s.ID, "bogus", nil, true); st != 401 {
		t.Errorf("bad token: status %d, want 401", st)
	}
	if _, st := ts.sseTry("00000000-0000-4000-8000-000000000000", ani.Token, nil, false); st != 404 {
		t.Errorf("unknown session: status %d, want 404", st)
	}
	resp, _ := ts.raw("GET", "/api/sessions/"+s.ID+"/events?since=abc&token="+ani.Token, nil, "")
	if resp.StatusCode != 400 {
		t.Errorf("since=abc: status %d, want 400", resp.StatusCode)
	}
}

// A WebSocket client and an SSE client of the session see the same seq
// sequence, for commands sent over both transports.
func TestFallbackSameSequenceAsWebSocket(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani", "Bayu")
	ws, w := ts.connect(s.ID, js[0].Token, nil)
	sse := ts.sseOpen(s.ID, js[1].Token, nil, false)
	sse.expect("welcome")
	seq0 := num(w["board"].(map[string]any)["seq"])

	const n = 30
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < n; i++ {
			ts.post(s.ID, js[1].Token, cmdOf("note.add", fmt.Sprint("h", i), map[string]any{"columnId": col, "text": fmt.Sprint("http ", i)}))
		}
	}()
	for i := 0; i < n; i++ {
		ws.send(cmdOf("note.add", fmt.Sprint("w", i), map[string]any{"columnId": col, "text": fmt.Sprint("ws ", i)}))
	}
	<-done
	var wsSeq, sseSeq []string
	for i := 0; i < 2*n; i++ {
		e := ws.event()
		wsSeq = append(wsSeq, fmt.Sprint(num(e["seq"]), e["event"], e["data"].(map[string]any)["note"].(map[string]any)["id"]))
		f := sse.event()
		sseSeq = append(sseSeq, fmt.Sprint(num(f["seq"]), f["event"], f["data"].(map[string]any)["note"].(map[string]any)["id"]))
		if num(e["seq"]) != seq0+int64(i)+1 {
			t.Fatalf("ws event %d: seq %d, want %d", i, num(e["seq"]), seq0+int64(i)+1)
		}
	}
	if strings.Join(wsSeq, ";") != strings.Join(sseSeq, ";") {
		t.Fatalf("sequences differ:\nws:  %v\nsse: %v", wsSeq, sseSeq)
	}
}

// A private note's text reaches only its author and the facilitator over
// SSE too, until revealed; the author's name never reaches others in
// anonymous mode.
func TestFallbackSSEVisibility(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani", "Bayu")
	ani, bayu := js[0], js[1]
	fac := s.FacilitatorToken
	if st, a := ts.post(s.ID, fac, cmdOf("settings.update", "p1", map[string]any{"privateBrainstorm": true, "anonymous": true})); st != 200 {
		t.Fatalf("settings: %d %v", st, a)
	}
	bayuSSE := ts.sseOpen(s.ID, bayu.Token, nil, true)
	bayuSSE.expect("welcome")
	facSSE := ts.sseOpen(s.ID, fac, nil, false)
	facSSE.expect("welcome")
	aniSSE := ts.sseOpen(s.ID, ani.Token, nil, false)
	aniSSE.expect("welcome")

	const secret = "RAHASIA-antrian-loket-tiga"
	st, a := ts.post(s.ID, ani.Token, cmdOf("note.add", "a1", map[string]any{"columnId": col, "text": secret}))
	if st != 200 {
		t.Fatalf("note.add: %d %v", st, a)
	}
	noteID := a["id"].(string)
	ts.post(s.ID, ani.Token, cmdOf("note.update", "a2", map[string]any{"id": noteID, "text": secret + " diubah"}))

	for _, c := range []*sseClient{bayuSSE, facSSE, aniSSE} {
		c.event()
		c.event()
	}
	if strings.Contains(bayuSSE.raw.String(), "RAHASIA") {
		t.Fatalf("participant's SSE stream holds the private text:\n%s", bayuSSE.raw)
	}
	if !strings.Contains(facSSE.raw.String(), secret) || !strings.Contains(aniSSE.raw.String(), secret) {
		t.Fatalf("facilitator or author did not get the text")
	}
	for _, c := range []*sseClient{bayuSSE, facSSE} {
		for _, line := range strings.Split(c.raw.String(), "\n") {
			if strings.HasPrefix(line, `{"type":"event"`) && strings.Contains(line, ani.ParticipantID) {
				t.Fatalf("anonymous: the author's id reached another viewer: %s", line)
			}
		}
	}
	// A resume replay and the snapshot are projected the same way.
	late := ts.sseOpen(s.ID, bayu.Token, ptr(int64(0)), false)
	late.expect("welcome")
	fresh := ts.sseOpen(s.ID, bayu.Token, nil, false)
	fresh.expect("welcome")
	for _, c := range []*sseClient{late, fresh} {
		if strings.Contains(c.raw.String(), "RAHASIA") {
			t.Fatalf("welcome holds the private text:\n%s", c.raw)
		}
	}

	ts.post(s.ID, fac, cmdOf("notes.reveal", "r1", nil))
	if ev := bayuSSE.event(); ev["event"] != "notes.revealed" {
		t.Fatalf("got %v, want notes.revealed", ev)
	}
	if !strings.Contains(bayuSSE.raw.String(), secret) {
		t.Fatalf("revealed text did not reach the participant")
	}
}

// An SSE stream outlives the server's HTTP write timeout (30 s): a
// fallback client stays connected through a long quiet spell and still
// gets the next event.
func TestFallbackSSELongLived(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 35 s")
	}
	t.Parallel()
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani")
	c := ts.sseOpen(s.ID, js[0].Token, nil, false)
	c.expect("welcome")
	time.Sleep(35 * time.Second)
	if st, a := ts.post(s.ID, s.FacilitatorToken, cmdOf("note.add", "late", map[string]any{"columnId": col, "text": "setelah jeda"})); st != 200 {
		t.Fatalf("note.add: %d %v", st, a)
	}
	if ev := c.event(); ev["event"] != "note.added" {
		t.Fatalf("got %v, want note.added", ev)
	}
}

// Refusals made before POST /commands' handler runs (the body limit, the
// content type) keep the endpoint's shape, an error frame with the
// contract's error object inside, while other endpoints answer only the
// error object.
func TestFallbackCommandsRefusedBeforeTheHandler(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani")
	path := "/api/sessions/" + s.ID + "/commands"
	big := fmt.Sprintf(`{"type":"note.add","ref":"b","columnId":%q,"text":%q}`, col, strings.Repeat("x", 70<<10))
	for _, c := range []struct {
		name, ctype, body string
		status            int
		code              string
	}{
		{"too large", "application/json", big, 413, "too_large"},
		{"not JSON", "text/plain", `{"type":"note.add","ref":"t"}`, 415, "invalid"},
	} {
		resp, b := ts.raw("POST", path, map[string]string{"Authorization": "Bearer " + js[0].Token, "Content-Type": c.ctype}, c.body)
		var out map[string]any
		if err := json.Unmarshal(b, &out); err != nil || resp.StatusCode != c.status {
			t.Fatalf("%s: %d %s, want %d", c.name, resp.StatusCode, b, c.status)
		}
		checkCommandError(t, c.name, out, c.code)
		if resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: no security headers", c.name)
		}
	}
	// Another endpoint's refusal is the error object alone.
	resp, b := ts.raw("POST", "/api/join", map[string]string{"Content-Type": "text/plain"}, `{}`)
	checkErrorBody(t, "join as text/plain", resp.StatusCode, b, 415, "invalid")
}
