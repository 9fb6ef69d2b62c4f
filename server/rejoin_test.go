package server_test

import (
	"testing"
	"time"

	"rembuk/server"
)

type rejoinAnswer struct {
	SessionID     string `json:"sessionId"`
	RequestID     string `json:"requestId"`
	Status        string `json:"status"`
	ParticipantID string `json:"participantId"`
	Token         string `json:"token"`
	Error         struct {
		Code string `json:"code"`
	} `json:"error"`
}

// youOf connects with token and returns the welcome's "you".
func youOf(ts *testServer, sid, token string) map[string]any {
	ts.t.Helper()
	w, wel := ts.connect(sid, token, nil)
	w.c.Close()
	return wel["board"].(map[string]any)["you"].(map[string]any)
}

// TestRejoinApproval: a new device asks by name; the facilitator sees the
// request live, approves it, and the device collects a token for the same
// participant once; the attendance list keeps one row.
func TestRejoinApproval(t *testing.T) {
	clk := newTestClock()
	ts := startServer(t, "", clk.use())
	c := ts.create("kosong")
	siti := ts.join(c.JoinCode, "Siti Rahayu")
	fac, _ := ts.connect(c.ID, c.FacilitatorToken, nil)

	var a rejoinAnswer
	if st := ts.do("POST", "/api/rejoin", "", map[string]any{"code": c.JoinCode, "name": "  siti   rahayu "}, &a); st != 201 || a.RequestID == "" || a.SessionID != c.ID {
		t.Fatalf("ask: %d %+v", st, a)
	}
	f := fac.expect("rejoin")
	reqs := f["requests"].([]any)
	if len(reqs) != 1 {
		t.Fatalf("facilitator's requests = %v", f)
	}
	r0 := reqs[0].(map[string]any)
	cands := r0["candidates"].([]any)
	if r0["name"] != "siti   rahayu" && r0["name"] != "siti rahayu" || len(cands) != 1 || cands[0].(map[string]any)["id"] != siti.ParticipantID {
		t.Fatalf("request = %v", r0)
	}
	var p rejoinAnswer
	if st := ts.do("GET", "/api/sessions/"+c.ID+"/rejoin/"+a.RequestID, "", nil, &p); st != 202 || p.Status != "pending" {
		t.Fatalf("poll before approval: %d %+v", st, p)
	}
	// Only the facilitator answers, and the new device cannot approve itself.
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/rejoin/"+a.RequestID, siti.Token, map[string]any{"approve": true}, nil); st != 403 {
		t.Fatalf("a participant approving: %d, want 403", st)
	}
	if st := ts.do("GET", "/api/sessions/"+c.ID+"/rejoin", siti.Token, nil, nil); st != 403 {
		t.Fatalf("a participant listing requests: %d, want 403", st)
	}
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/rejoin/"+a.RequestID, c.FacilitatorToken, map[string]any{"approve": true}, nil); st != 200 {
		t.Fatalf("approve: %d", st)
	}
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/rejoin/"+a.RequestID, c.FacilitatorToken, map[string]any{"approve": true}, nil); st != 404 {
		t.Fatalf("approving twice: %d, want 404 (answered already)", st)
	}
	if st := ts.do("GET", "/api/sessions/"+c.ID+"/rejoin/"+a.RequestID, "", nil, &p); st != 200 || p.Status != "approved" || p.ParticipantID != siti.ParticipantID || p.Token == "" || p.Token == siti.Token {
		t.Fatalf("collect: %d %+v", st, p)
	}
	if st := ts.do("GET", "/api/sessions/"+c.ID+"/rejoin/"+a.RequestID, "", nil, nil); st != 404 {
		t.Fatalf("a second collect: %d, want 404 (handed out once)", st)
	}
	if you := youOf(ts, c.ID, p.Token); you["id"] != siti.ParticipantID {
		t.Fatalf("the new device is %v, want %s", you, siti.ParticipantID)
	}
	if you := youOf(ts, c.ID, siti.Token); you["id"] != siti.ParticipantID {
		t.Fatalf("the first device is %v", you)
	}
	// The token survives a restart (it is stored, as a hash).
	ts.Stop()
	ts2 := startServer(t, ts.DBPath, clk.use())
	if you := youOf(ts2, c.ID, p.Token); you["id"] != siti.ParticipantID {
		t.Fatalf("after a restart the new device is %v", you)
	}
	var b struct {
		Participants []map[string]any `json:"participants"`
	}
	ts2.do("GET", "/api/sessions/"+c.ID+"/board", c.FacilitatorToken, nil, &b)
	if len(b.Participants) != 2 {
		t.Fatalf("attendance = %v, want the facilitator and Siti only", b.Participants)
	}
}

// TestRejoinRefusedAndExpired: a refused request says so once; a request
// nobody answers expires by the injected clock; an unknown name is 404;
// the facilitator's name is never a candidate.
func TestRejoinRefusedAndExpired(t *testing.T) {
	clk := newTestClock()
	ts := startServer(t, "", clk.use())
	c := ts.create("kosong")
	ts.join(c.JoinCode, "Budi")
	ask := func() rejoinAnswer {
		t.Helper()
		var a rejoinAnswer
		if st := ts.do("POST", "/api/rejoin", "", map[string]any{"code": c.JoinCode, "name": "Budi"}, &a); st != 201 {
			t.Fatalf("ask: %d", st)
		}
		return a
	}
	a := ask()
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/rejoin/"+a.RequestID, c.FacilitatorToken, map[string]any{"approve": false}, nil); st != 200 {
		t.Fatalf("refuse: %d", st)
	}
	var p rejoinAnswer
	if st := ts.do("GET", "/api/sessions/"+c.ID+"/rejoin/"+a.RequestID, "", nil, &p); st != 403 || p.Error.Code != "forbidden" {
		t.Fatalf("poll after refusal: %d %+v", st, p)
	}
	b := ask()
	clk.advance(4 * time.Minute)
	if st := ts.do("GET", "/api/sessions/"+c.ID+"/rejoin/"+b.RequestID, "", nil, nil); st != 202 {
		t.Fatalf("after 4 minutes: %d, want still pending", st)
	}
	clk.advance(time.Minute + time.Second)
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/rejoin/"+b.RequestID, c.FacilitatorToken, map[string]any{"approve": true}, nil); st != 404 {
		t.Fatalf("approving an expired request: %d, want 404", st)
	}
	if st := ts.do("GET", "/api/sessions/"+c.ID+"/rejoin/"+b.RequestID, "", nil, nil); st != 404 {
		t.Fatalf("polling an expired request: %d, want 404", st)
	}
	var l struct {
		Requests []any `json:"requests"`
	}
	if st := ts.do("GET", "/api/sessions/"+c.ID+"/rejoin", c.FacilitatorToken, nil, &l); st != 200 || len(l.Requests) != 0 {
		t.Fatalf("list after expiry: %d %v", st, l)
	}
	if st := ts.do("POST", "/api/rejoin", "", map[string]any{"code": c.JoinCode, "name": "Nobody"}, nil); st != 404 {
		t.Fatalf("unknown name: %d, want 404", st)
	}
	if st := ts.do("POST", "/api/rejoin", "", map[string]any{"code": c.JoinCode, "name": "Fasilitator"}, nil); st != 404 {
		t.Fatalf("the facilitator's name: %d, want 404 (never a candidate)", st)
	}
}

// TestRejoinRateLimited: one address may ask a few times per window.
func TestRejoinRateLimited(t *testing.T) {
	clk := newTestClock()
	ts := startServer(t, "", clk.use())
	c := ts.create("kosong")
	ts.join(c.JoinCode, "Budi")
	for i := range 5 {
		if st := ts.do("POST", "/api/rejoin", "", map[string]any{"code": c.JoinCode, "name": "Budi"}, nil); st != 201 {
			t.Fatalf("ask %d: %d", i, st)
		}
	}
	if st := ts.do("POST", "/api/rejoin", "", map[string]any{"code": c.JoinCode, "name": "Budi"}, nil); st != 429 {
		t.Fatalf("sixth ask: %d, want 429", st)
	}
	clk.advance(11 * time.Minute)
	if st := ts.do("POST", "/api/rejoin", "", map[string]any{"code": c.JoinCode, "name": "Budi"}, nil); st != 201 {
		t.Fatalf("after the window: %d", st)
	}
}

// TestDeviceLinkSingleUse: the first device's link gives the second a
// token for the same participant once, within its lifetime.
func TestDeviceLinkSingleUse(t *testing.T) {
	clk := newTestClock()
	ts := startServer(t, "", clk.use())
	c := ts.create("kosong")
	siti := ts.join(c.JoinCode, "Siti")
	var l struct {
		Secret string `json:"secret"`
		Path   string `json:"path"`
	}
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/devices", siti.Token, nil, &l); st != 201 || l.Secret == "" || l.Path != "/s/"+c.ID+"#perangkat="+l.Secret {
		t.Fatalf("make link: %d %+v", st, l)
	}
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/devices", "", nil, nil); st != 401 {
		t.Fatalf("a link without a token: %d, want 401", st)
	}
	var j joined
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/devices/claim", "", map[string]any{"secret": l.Secret}, &j); st != 201 || j.ParticipantID != siti.ParticipantID || j.Token == "" {
		t.Fatalf("claim: %d %+v", st, j)
	}
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/devices/claim", "", map[string]any{"secret": l.Secret}, nil); st != 404 {
		t.Fatalf("second claim: %d, want 404 (single use)", st)
	}
	if you := youOf(ts, c.ID, j.Token); you["id"] != siti.ParticipantID {
		t.Fatalf("second device is %v", you)
	}
	// A link past its lifetime is gone.
	ts.do("POST", "/api/sessions/"+c.ID+"/devices", siti.Token, nil, &l)
	clk.advance(2*time.Minute + time.Second)
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/devices/claim", "", map[string]any{"secret": l.Secret}, nil); st != 404 {
		t.Fatalf("expired link: %d, want 404", st)
	}
}

// TestDevicesShareLimits: both devices are one person: the per-participant
// connection cap counts them together (the ninth closes the oldest, on
// either device).
func TestDevicesShareLimits(t *testing.T) {
	ts := startServer(t, "")
	c := ts.create("kosong")
	siti := ts.join(c.JoinCode, "Siti")
	var l struct {
		Secret string `json:"secret"`
	}
	ts.do("POST", "/api/sessions/"+c.ID+"/devices", siti.Token, nil, &l)
	var j joined
	ts.do("POST", "/api/sessions/"+c.ID+"/devices/claim", "", map[string]any{"secret": l.Secret}, &j)
	var first *wsClient
	for i := range 8 {
		tok := siti.Token
		if i%2 == 1 {
			tok = j.Token
		}
		w, _ := ts.connect(c.ID, tok, nil)
		if i == 0 {
			first = w
		}
	}
	ts.connect(c.ID, j.Token, nil) // the ninth, from the second device
	if code := first.waitClose(); code != 4008 {
		t.Fatalf("the first device's oldest connection closed with %d, want 4008", code)
	}
}

// TestMergeOverSockets: only the facilitator merges; the merged row's
// device then is the survivor (its connection closes with 4009 and its
// token opens the survivor's board), and the list has one row.
func TestMergeOverSockets(t *testing.T) {
	ts := startServer(t, "")
	c := ts.create("kosong")
	a := ts.join(c.JoinCode, "Ani")
	a2 := ts.join(c.JoinCode, "Ani")
	fac, wel := ts.connect(c.ID, c.FacilitatorToken, nil)
	col := columnIDs(wel)[0]
	w2, _ := ts.connect(c.ID, a2.Token, nil)
	wa, _ := ts.connect(c.ID, a.Token, nil)
	w2.ack("note.add", "n1", map[string]any{"columnId": col, "text": "catatan kedua"})
	if f := wa.cmd("participant.merge", "m0", map[string]any{"id": a2.ParticipantID, "intoId": a.ParticipantID}); f["code"] != "forbidden" {
		t.Fatalf("a participant merging: %v", f)
	}
	fac.ack("participant.merge", "m1", map[string]any{"id": a2.ParticipantID, "intoId": a.ParticipantID})
	if code := w2.waitClose(); code != 4009 {
		t.Fatalf("the merged row's connection closed with %d, want 4009", code)
	}
	if you := youOf(ts, c.ID, a2.Token); you["id"] != a.ParticipantID {
		t.Fatalf("the merged row's token opens %v, want the survivor", you)
	}
	var b struct {
		Participants []map[string]any `json:"participants"`
		Notes        []map[string]any `json:"notes"`
	}
	ts.do("GET", "/api/sessions/"+c.ID+"/board", c.FacilitatorToken, nil, &b)
	if len(b.Participants) != 2 || b.Notes[0]["authorId"] != a.ParticipantID {
		t.Fatalf("after the merge: participants %v, notes %v", b.Participants, b.Notes)
	}
}

// TestDevicesShareCommandRate: the command token bucket is the person's:
// what one device spent, the other cannot spend again.
func TestDevicesShareCommandRate(t *testing.T) {
	clk := newTestClock() // frozen: no refill during the test
	ts := startServer(t, "", clk.use(), func(c *server.Config) { c.CommandRate, c.CommandBurst = 1, 3 })
	c := ts.create("kosong")
	siti := ts.join(c.JoinCode, "Siti")
	var l struct {
		Secret string `json:"secret"`
	}
	ts.do("POST", "/api/sessions/"+c.ID+"/devices", siti.Token, nil, &l)
	var j joined
	ts.do("POST", "/api/sessions/"+c.ID+"/devices/claim", "", map[string]any{"secret": l.Secret}, &j)
	wa, wel := ts.connect(c.ID, siti.Token, nil)
	col := columnIDs(wel)[0]
	wb, _ := ts.connect(c.ID, j.Token, nil)
	for i := range 3 {
		wa.ack("note.add", "a"+string(rune('0'+i)), map[string]any{"columnId": col, "text": "dari ponsel"})
	}
	if f := wb.cmd("note.add", "b0", map[string]any{"columnId": col, "text": "dari laptop"}); f["code"] != "rate_limited" {
		t.Fatalf("the second device after the first spent the burst: %v, want rate_limited", f)
	}
}

// TestRejoinClosedSession: a closed session lets no new device in, by
// either way; what was open stays (the first device still reads the board).
func TestRejoinClosedSession(t *testing.T) {
	ts := startServer(t, "")
	c := ts.create("kosong")
	siti := ts.join(c.JoinCode, "Siti")
	var l struct {
		Secret string `json:"secret"`
	}
	ts.do("POST", "/api/sessions/"+c.ID+"/devices", siti.Token, nil, &l)
	fac, _ := ts.connect(c.ID, c.FacilitatorToken, nil)
	fac.ack("session.close", "x1", nil)
	if st := ts.do("POST", "/api/rejoin", "", map[string]any{"code": c.JoinCode, "name": "Siti"}, nil); st != 409 {
		t.Fatalf("asking in a closed session: %d, want 409", st)
	}
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/devices", siti.Token, nil, nil); st != 409 {
		t.Fatalf("a new link in a closed session: %d, want 409", st)
	}
	if st := ts.do("POST", "/api/sessions/"+c.ID+"/devices/claim", "", map[string]any{"secret": l.Secret}, nil); st != 409 {
		t.Fatalf("claiming an older link in a closed session: %d, want 409", st)
	}
	if st := ts.do("GET", "/api/sessions/"+c.ID+"/board", siti.Token, nil, nil); st != 200 {
		t.Fatalf("the first device after the close: %d", st)
	}
}
