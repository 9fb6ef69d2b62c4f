package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"rembuk/server"
)

// This file holds the helpers of the protocol tests (issue 2 and 3): a
// session with three connected roles, error and seq checks, raw-frame scans
// for leaks, and raw HTTP. Names start with qa so they do not collide with
// the other test files of the package.

// qaTrio is a live session with a facilitator, a notulis (made through
// participant.setRole) and a participant, each connected over a WebSocket.
type qaTrio struct {
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

// qaNewTrio starts a server and a session of template with the three roles.
func qaNewTrio(t *testing.T, template string, mod ...func(*server.Config)) *qaTrio {
	t.Helper()
	ts := startServer(t, "", mod...)
	s := ts.create(template)
	tr := &qaTrio{t: t, ts: ts, s: s, facID: s.ParticipantID, notName: "Nur Notulis", parName: "Putu Peserta",
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
func (tr *qaTrio) connect(token string) *wsClient {
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
func (tr *qaTrio) join(name string) joined {
	tr.t.Helper()
	j := tr.ts.join(tr.s.JoinCode, name)
	tr.last++
	return j
}

func (tr *qaTrio) ref() string {
	tr.refs++
	return fmt.Sprintf("q%d", tr.refs)
}

// ok sends a command that must be acked with the session's next seq: a
// refused command before it must not have used a seq.
func (tr *qaTrio) ok(w *wsClient, typ string, fields map[string]any) map[string]any {
	tr.t.Helper()
	a := w.ack(typ, tr.ref(), fields)
	if got := num(a["seq"]); got != tr.last+1 {
		tr.t.Fatalf("%s: ack seq %d, want %d", typ, got, tr.last+1)
	}
	tr.last++
	return a
}

// id sends a creating command and returns the created id.
func (tr *qaTrio) id(w *wsClient, typ string, fields map[string]any) string {
	tr.t.Helper()
	a := tr.ok(w, typ, fields)
	id, _ := a["id"].(string)
	if id == "" {
		tr.t.Fatalf("%s: ack %v carries no id", typ, a)
	}
	return id
}

// refuse sends a command that must get the error code.
func (tr *qaTrio) refuse(w *wsClient, typ string, fields map[string]any, code string) {
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
func (tr *qaTrio) clients() []*wsClient { return []*wsClient{tr.fac, tr.not, tr.par} }

// eventFor waits for the event carrying seq on w and returns it.
func (tr *qaTrio) eventFor(w *wsClient, seq int64) map[string]any {
	tr.t.Helper()
	qaSyncTo(w, seq)
	for _, f := range qaFrames(w.raw.Bytes()) {
		if f["type"] == "event" && num(f["seq"]) == seq {
			return f
		}
	}
	tr.t.Fatalf("no event with seq %d", seq)
	return nil
}

// lastEvents returns, for each of the trio, the event with the last seq,
// checking that it is named name.
func (tr *qaTrio) lastEvents(name string) []map[string]any {
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
func (tr *qaTrio) checkSeq(ws ...*wsClient) {
	tr.t.Helper()
	if len(ws) == 0 {
		ws = tr.clients()
	}
	for i, w := range ws {
		qaCheckSeq(tr.t, fmt.Sprint("client ", i), w, tr.first[w], tr.last)
	}
}

// board fetches GET /api/sessions/{id}/board as token.
func (tr *qaTrio) board(token string) map[string]any {
	tr.t.Helper()
	var b map[string]any
	if st := tr.ts.do("GET", "/api/sessions/"+tr.s.ID+"/board", token, nil, &b); st != 200 {
		tr.t.Fatalf("GET board: status %d", st)
	}
	return b
}

// qaFrames decodes the newline-separated frames a client recorded.
func qaFrames(raw []byte) []map[string]any {
	var out []map[string]any
	for _, line := range bytes.Split(raw, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if json.Unmarshal(line, &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// qaMaxSeq is the highest event seq among frames already read.
func qaMaxSeq(w *wsClient) int64 {
	var max int64
	for _, f := range qaFrames(w.raw.Bytes()) {
		if f["type"] == "event" && num(f["seq"]) > max {
			max = num(f["seq"])
		}
	}
	return max
}

// qaSyncTo reads frames until the event with seq (or a later one) has
// arrived, keeping them for next/event.
func qaSyncTo(w *wsClient, seq int64) {
	w.t.Helper()
	if qaMaxSeq(w) >= seq {
		return
	}
	for {
		f := w.read()
		w.backlog = append(w.backlog, f)
		if f["type"] == "event" && num(f["seq"]) >= seq {
			return
		}
	}
}

// qaCheckSeq asserts that w received the events first..last, each once, in
// order, with nothing else numbered.
func qaCheckSeq(t *testing.T, label string, w *wsClient, first, last int64) {
	t.Helper()
	qaSyncTo(w, last)
	want := first
	for _, f := range qaFrames(w.raw.Bytes()) {
		if f["type"] != "event" {
			if _, ok := f["seq"]; ok && f["type"] != "ack" && f["type"] != "welcome" {
				t.Errorf("%s: non-event frame %v carries a seq", label, f)
			}
			continue
		}
		if got := num(f["seq"]); got != want {
			t.Fatalf("%s: got event seq %d (%v), want %d", label, got, f["event"], want)
		}
		want++
	}
	if want != last+1 {
		t.Fatalf("%s: events end at seq %d, want %d", label, want-1, last)
	}
}

// qaWaitClose waits up to d for the server to close w and returns the close
// code (-1 when the connection ended without a close frame).
func qaWaitClose(t *testing.T, w *wsClient, d time.Duration) int {
	t.Helper()
	select {
	case <-w.closed:
	case <-time.After(d):
		t.Fatalf("connection not closed within %v", d)
	}
	return qaCloseCode(w.closeErr)
}

// qaCloseCode is the close code in a read error, or -1.
func qaCloseCode(err error) int {
	if ce, ok := err.(*websocket.CloseError); ok {
		return ce.Code
	}
	return -1
}

// qaNextNonEvent returns the next frame that is not an event or presence.
func qaNextNonEvent(w *wsClient) map[string]any {
	w.t.Helper()
	for {
		f := w.next()
		if f["type"] != "event" && f["type"] != "presence" {
			return f
		}
	}
}

// qaErrorBody checks an HTTP error answer: the status, exactly
// {"error":{"code","message"}} with the code, and no internal text.
func qaErrorBody(t *testing.T, label string, status int, body []byte, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("%s: status %d, want %d (body %s)", label, status, wantStatus, body)
	}
	var eb struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&eb); err != nil {
		t.Errorf("%s: body %q is not {\"error\":{\"code\",\"message\"}}: %v", label, body, err)
		return
	}
	if eb.Error.Code != wantCode {
		t.Errorf("%s: code %q, want %q", label, eb.Error.Code, wantCode)
	}
	if eb.Error.Message == "" {
		t.Errorf("%s: empty message", label)
	}
	qaNoInternals(t, label, body)
}

// qaInternals are fragments of Go, SQL and framework error texts that must
// never reach a client.
var qaInternals = []string{"sql", "sqlite", "constraint", "no such", "syntax error", "json:", "invalid character",
	"cannot unmarshal", "unexpected end", "goroutine", "runtime error", "panic", ".go:", "fiber", "fasthttp",
	"nil pointer", "context deadline", "errors."}

func qaNoInternals(t *testing.T, label string, body []byte) {
	t.Helper()
	low := strings.ToLower(string(body))
	for _, s := range qaInternals {
		if strings.Contains(low, s) {
			t.Errorf("%s: answer %q contains internal text %q", label, body, s)
		}
	}
}

// qaHTTP sends a request with a raw body and headers and returns the status
// and the body.
func (ts *testServer) qaHTTP(method, path string, hdr map[string]string, body []byte) (int, []byte) {
	ts.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		ts.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func qaJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func qaBearer(tok string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "application/json"}
}

// qaStrip removes from a decoded frame the places that legitimately name
// participants (presence, participant events, the board's participant
// list); nil means the whole frame is such a place.
func qaStrip(f map[string]any) map[string]any {
	switch f["type"] {
	case "presence":
		return nil
	case "event":
		if name, _ := f["event"].(string); strings.HasPrefix(name, "participant.") {
			return nil
		}
	}
	out := map[string]any{}
	for k, v := range f {
		out[k] = v
	}
	delete(out, "participants")
	if b, ok := out["board"].(map[string]any); ok {
		cp := map[string]any{}
		for k, v := range b {
			cp[k] = v
		}
		delete(cp, "participants")
		out["board"] = cp
	}
	if evs, ok := out["events"].([]any); ok {
		var keep []any
		for _, e := range evs {
			if m, ok := e.(map[string]any); ok {
				if s := qaStrip(m); s != nil {
					keep = append(keep, s)
				}
			}
		}
		out["events"] = keep
	}
	return out
}

// qaAssertNoLeak scans every frame in raw (newline-separated JSON, or one
// JSON body): no secret may appear anywhere, and no hidden value (an
// author's id or name) outside the participant listings.
func qaAssertNoLeak(t *testing.T, label string, raw []byte, secrets, hidden []string) {
	t.Helper()
	for i, line := range bytes.Split(raw, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		for _, s := range secrets {
			if bytes.Contains(line, []byte(s)) {
				t.Errorf("%s: frame %d carries the secret %q: %s", label, i, s, line)
			}
		}
		var f map[string]any
		if err := json.Unmarshal(line, &f); err != nil {
			t.Errorf("%s: frame %d: %v", label, i, err)
			continue
		}
		st := qaStrip(f)
		if st == nil {
			continue
		}
		enc, _ := json.Marshal(st)
		for _, h := range hidden {
			if bytes.Contains(enc, []byte(h)) {
				t.Errorf("%s: frame %d carries the hidden author %q: %s", label, i, h, line)
			}
		}
	}
}

// qaNoteViews finds every object describing note id in a decoded JSON
// value (events, notes lists, snapshots, welcome replays).
func qaNoteViews(v any, id string) []map[string]any {
	var out []map[string]any
	switch x := v.(type) {
	case map[string]any:
		if x["id"] == id {
			if _, ok := x["columnId"]; ok {
				out = append(out, x)
			}
		}
		for _, c := range x {
			out = append(out, qaNoteViews(c, id)...)
		}
	case []any:
		for _, c := range x {
			out = append(out, qaNoteViews(c, id)...)
		}
	}
	return out
}

// qaAssertHiddenForm checks that every view of note id in raw is exactly
// {"id","columnId","hidden":true}; it returns how many views it saw.
func qaAssertHiddenForm(t *testing.T, label string, raw []byte, id string) int {
	t.Helper()
	n := 0
	for _, line := range bytes.Split(raw, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		var f any
		if json.Unmarshal(line, &f) != nil {
			continue
		}
		for _, nv := range qaNoteViews(f, id) {
			n++
			if len(nv) != 3 || nv["hidden"] != true {
				t.Errorf("%s: note %s reached the viewer as %v, want only id, columnId, hidden", label, id, nv)
			}
		}
	}
	return n
}
