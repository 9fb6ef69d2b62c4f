package server_test

// The kit's WebSocket client: a real connection that records every frame,
// and the checks of what it received (seqs in order, its close code).

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// wsClient is a real WebSocket client that records every raw frame.
type wsClient struct {
	t        testing.TB
	c        *websocket.Conn
	frames   chan []byte
	raw      *bytes.Buffer // every frame received, for leak scans
	closed   chan struct{}
	closeErr error
	n        int
	backlog  []map[string]any // frames read past by cmd, returned first by next
}

func (ts *testServer) dial(sessionID string) *wsClient {
	ts.t.Helper()
	u := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/sessions/" + sessionID
	c, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		ts.t.Fatalf("dial: %v", err)
	}
	w := &wsClient{t: ts.t, c: c, frames: make(chan []byte, 100000), raw: &bytes.Buffer{}, closed: make(chan struct{})}
	go func() {
		defer close(w.closed)
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				w.closeErr = err
				return
			}
			w.frames <- data
		}
	}()
	ts.t.Cleanup(func() { c.Close() })
	return w
}

// connect dials and says hello; it returns after the welcome.
func (ts *testServer) connect(sessionID, token string, since *int64) (*wsClient, map[string]any) {
	ts.t.Helper()
	w := ts.dial(sessionID)
	hello := map[string]any{"type": "hello", "token": token}
	if since != nil {
		hello["since"] = *since
	}
	w.send(hello)
	return w, w.expect("welcome")
}

func (w *wsClient) send(v any) {
	w.t.Helper()
	var b []byte
	switch x := v.(type) {
	case []byte:
		b = x
	case string:
		b = []byte(x)
	default:
		b, _ = json.Marshal(v)
	}
	if err := w.c.WriteMessage(websocket.TextMessage, b); err != nil {
		w.t.Fatalf("send: %v", err)
	}
}

// next returns the next frame, decoded, failing after a timeout.
func (w *wsClient) next() map[string]any {
	w.t.Helper()
	if len(w.backlog) > 0 {
		m := w.backlog[0]
		w.backlog = w.backlog[1:]
		return m
	}
	return w.read()
}

// read takes the next frame off the socket.
func (w *wsClient) read() map[string]any {
	w.t.Helper()
	select {
	case f := <-w.frames:
		w.raw.Write(f)
		w.raw.WriteByte('\n')
		w.n++
		var m map[string]any
		if err := json.Unmarshal(f, &m); err != nil {
			w.t.Fatalf("frame %q: %v", f, err)
		}
		return m
	case <-time.After(5 * time.Second):
		w.t.Fatalf("no frame within 5s")
	case <-w.closed:
		// drain what was received before the close
		select {
		case f := <-w.frames:
			w.frames <- f
			return w.read()
		default:
		}
		w.t.Fatalf("connection closed: %v", w.closeErr)
	}
	return nil
}

// expect skips presence frames and returns the next frame of type typ.
func (w *wsClient) expect(typ string) map[string]any {
	w.t.Helper()
	for {
		m := w.next()
		if m["type"] == "presence" && typ != "presence" {
			continue
		}
		if m["type"] != typ {
			w.t.Fatalf("got frame %v, want type %s", m, typ)
		}
		return m
	}
}

// cmd sends a command and waits for its ack or error, collecting events on
// the way; it returns the answer.
func (w *wsClient) cmd(typ, ref string, fields map[string]any) map[string]any {
	w.t.Helper()
	w.send(cmdOf(typ, ref, fields))
	for {
		f := w.read()
		if (f["type"] == "ack" || f["type"] == "error") && f["ref"] == ref {
			return f
		}
		w.backlog = append(w.backlog, f)
	}
}

// ack sends a command and fails unless it is acked.
func (w *wsClient) ack(typ, ref string, fields map[string]any) map[string]any {
	w.t.Helper()
	f := w.cmd(typ, ref, fields)
	if f["type"] != "ack" {
		w.t.Fatalf("%s %s: got %v, want ack", typ, ref, f)
	}
	return f
}

// event waits for the next event frame (skipping presence, acks, errors).
func (w *wsClient) event() map[string]any {
	w.t.Helper()
	for {
		f := w.next()
		if f["type"] == "event" {
			return f
		}
	}
}

// waitClose waits up to 5 s for the server to close and returns the close
// code (-1 when the connection ended without a close frame).
func (w *wsClient) waitClose() int {
	w.t.Helper()
	return closeWithin(w.t, w, 5*time.Second)
}

// closeWithin waits up to d for the server to close w and returns the
// close code (-1 when the connection ended without a close frame).
func closeWithin(t testing.TB, w *wsClient, d time.Duration) int {
	t.Helper()
	select {
	case <-w.closed:
	case <-time.After(d):
		t.Fatalf("connection not closed within %v", d)
	}
	return closeCode(w.closeErr)
}

// closeCode is the close code in a read error, or -1.
func closeCode(err error) int {
	if ce, ok := err.(*websocket.CloseError); ok {
		return ce.Code
	}
	return -1
}

// nextNonEvent returns the next frame that is not an event or presence.
func nextNonEvent(w *wsClient) map[string]any {
	w.t.Helper()
	for {
		f := w.next()
		if f["type"] != "event" && f["type"] != "presence" {
			return f
		}
	}
}

// waitPresence reads w's frames in order until a presence frame shows
// participant id with the given online state (20 s at most).
func waitPresence(t testing.TB, w *wsClient, id string, online bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		f := w.next()
		if f["type"] != "presence" {
			continue
		}
		for _, p := range f["participants"].([]any) {
			if pm := p.(map[string]any); pm["id"] == id && pm["online"] == online {
				return
			}
		}
	}
	t.Fatalf("no presence with %s online=%v within 20s", id, online)
}

// decodeFrames decodes the newline-separated frames a client recorded.
func decodeFrames(raw []byte) []map[string]any {
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

// maxSeq is the highest event seq among frames already read.
func maxSeq(w *wsClient) int64 {
	var max int64
	for _, f := range decodeFrames(w.raw.Bytes()) {
		if f["type"] == "event" && num(f["seq"]) > max {
			max = num(f["seq"])
		}
	}
	return max
}

// syncTo reads frames until the event with seq (or a later one) has
// arrived, keeping them for next/event.
func syncTo(w *wsClient, seq int64) {
	w.t.Helper()
	if maxSeq(w) >= seq {
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

// checkSeq asserts that w received the events first..last, each once, in
// order, with nothing else numbered.
func checkSeq(t testing.TB, label string, w *wsClient, first, last int64) {
	t.Helper()
	syncTo(w, last)
	want := first
	for _, f := range decodeFrames(w.raw.Bytes()) {
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
