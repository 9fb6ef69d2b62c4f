package server_test

// The kit's trio: a live session with its three roles connected, which
// checks every ack's seq as it goes.

import (
	"fmt"
	"testing"

	"rembuk/server"
)

// trio is a live session with a facilitator, a notulis (made through
// participant.setRole) and a participant, each connected over a WebSocket.
type trio struct {
	t                *testing.T
	ts               *testServer
	s                created
	fac, not, par    *wsClient
	facID            string
	notID, parID     string
	notTok, parTok   string
	notName, parName string
	cols             map[string][]string // column kind -> ids, in board order
	colIDs           []string
	last             int64               // the last seq the session is known to have
	first            map[*wsClient]int64 // the first seq each client must receive
	refs             int
}

// newTrio starts a server and a session of template with the three roles.
func newTrio(t *testing.T, template string, mod ...func(*server.Config)) *trio {
	t.Helper()
	ts := startServer(t, "", mod...)
	s := ts.create(template)
	tr := &trio{t: t, ts: ts, s: s, facID: s.ParticipantID, notName: "Nur Notulis", parName: "Putu Peserta",
		cols: map[string][]string{}, first: map[*wsClient]int64{}}
	n := ts.join(s.JoinCode, tr.notName)
	p := ts.join(s.JoinCode, tr.parName)
	tr.notID, tr.notTok, tr.parID, tr.parTok = n.ParticipantID, n.Token, p.ParticipantID, p.Token
	var w map[string]any
	tr.fac, w = ts.connect(s.ID, s.FacilitatorToken, nil)
	b := w["board"].(map[string]any)
	tr.last = num(b["seq"])
	tr.first[tr.fac] = tr.last + 1
	for _, c := range b["columns"].([]any) {
		col := c.(map[string]any)
		id, kind := col["id"].(string), col["kind"].(string)
		tr.cols[kind] = append(tr.cols[kind], id)
		tr.colIDs = append(tr.colIDs, id)
	}
	tr.ok(tr.fac, "participant.setRole", map[string]any{"id": tr.notID, "role": "notulis"})
	tr.not = tr.connect(tr.notTok)
	tr.par = tr.connect(tr.parTok)
	return tr
}

// connect opens another connection for token; its seq check starts now.
func (tr *trio) connect(token string) *wsClient {
	tr.t.Helper()
	c, w := tr.ts.connect(tr.s.ID, token, nil)
	b := w["board"].(map[string]any)
	if got := num(b["seq"]); got != tr.last {
		tr.t.Fatalf("welcome seq %d, want %d", got, tr.last)
	}
	tr.first[c] = tr.last + 1
	return c
}

// join adds a participant by HTTP (a participant.joined event).
func (tr *trio) join(name string) joined {
	tr.t.Helper()
	j := tr.ts.join(tr.s.JoinCode, name)
	tr.last++
	return j
}

func (tr *trio) ref() string {
	tr.refs++
	return fmt.Sprintf("q%d", tr.refs)
}

// ok sends a command that must be acked with the session's next seq: a
// refused command before it must not have used a seq.
func (tr *trio) ok(w *wsClient, typ string, fields map[string]any) map[string]any {
	tr.t.Helper()
	a := w.ack(typ, tr.ref(), fields)
	if got := num(a["seq"]); got != tr.last+1 {
		tr.t.Fatalf("%s: ack seq %d, want %d", typ, got, tr.last+1)
	}
	tr.last++
	return a
}

// id sends a creating command and returns the created id.
func (tr *trio) id(w *wsClient, typ string, fields map[string]any) string {
	tr.t.Helper()
	a := tr.ok(w, typ, fields)
	id, _ := a["id"].(string)
	if id == "" {
		tr.t.Fatalf("%s: ack %v carries no id", typ, a)
	}
	return id
}

// refuse sends a command that must get the error code.
func (tr *trio) refuse(w *wsClient, typ string, fields map[string]any, code string) {
	tr.t.Helper()
	ref := tr.ref()
	f := w.cmd(typ, ref, fields)
	if f["type"] != "error" || f["code"] != code {
		tr.t.Fatalf("%s %v: got %v, want error %s", typ, fields, f, code)
	}
	if m, _ := f["message"].(string); m == "" {
		tr.t.Fatalf("%s: error %v without a message", typ, f)
	}
}

// clients returns the trio's connections.
func (tr *trio) clients() []*wsClient { return []*wsClient{tr.fac, tr.not, tr.par} }

// eventFor waits for the event carrying seq on w and returns it.
func (tr *trio) eventFor(w *wsClient, seq int64) map[string]any {
	tr.t.Helper()
	syncTo(w, seq)
	for _, f := range decodeFrames(w.raw.Bytes()) {
		if f["type"] == "event" && num(f["seq"]) == seq {
			return f
		}
	}
	tr.t.Fatalf("no event with seq %d", seq)
	return nil
}

// lastEvents returns, for each of the trio, the event with the last seq,
// checking that it is named name.
func (tr *trio) lastEvents(name string) []map[string]any {
	tr.t.Helper()
	var out []map[string]any
	for _, w := range tr.clients() {
		ev := tr.eventFor(w, tr.last)
		if ev["event"] != name {
			tr.t.Fatalf("event %d: got %v, want %s", tr.last, ev["event"], name)
		}
		out = append(out, ev)
	}
	return out
}

// checkSeq asserts that every listed client (default: the trio) received
// every seq from when it connected to the last, once and in order.
func (tr *trio) checkSeq(ws ...*wsClient) {
	tr.t.Helper()
	if len(ws) == 0 {
		ws = tr.clients()
	}
	for i, w := range ws {
		checkSeq(tr.t, fmt.Sprint("client ", i), w, tr.first[w], tr.last)
	}
}

// board fetches GET /api/sessions/{id}/board as token.
func (tr *trio) board(token string) map[string]any {
	tr.t.Helper()
	return tr.ts.board(tr.s.ID, token)
}
