package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"rembuk/server"
	"rembuk/store"
)

var _ server.Store = (*store.DB)(nil)

// testServer is a real server on 127.0.0.1:0 with a real SQLite file.
type testServer struct {
	t      testing.TB
	URL    string
	DBPath string
	DB     *store.DB
	Srv    *server.Server
	done   chan error
}

func testLogger(tb testing.TB) *slog.Logger {
	if os.Getenv("REMBUK_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.DiscardHandler)
}

// startServer opens dbPath (or a new file in a temp dir) and serves it.
func startServer(tb testing.TB, dbPath string, mod ...func(*server.Config)) *testServer {
	tb.Helper()
	if dbPath == "" {
		dbPath = filepath.Join(tb.TempDir(), "rembuk.db")
	}
	db, err := store.Open(dbPath, testLogger(tb))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	cfg := server.Config{Store: db, Logger: testLogger(tb)}
	for _, m := range mod {
		m(&cfg)
	}
	srv := server.New(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ts := &testServer{t: tb, URL: "http://" + ln.Addr().String(), DBPath: dbPath, DB: db, Srv: srv, done: make(chan error, 1)}
	go func() { ts.done <- srv.Serve(ln) }()
	tb.Cleanup(ts.Stop)
	return ts
}

// Stop shuts the server down and closes the database (idempotent).
func (ts *testServer) Stop() {
	if ts.Srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.Srv.Shutdown(ctx); err != nil {
		ts.t.Errorf("shutdown: %v", err)
	}
	<-ts.done
	if err := ts.DB.Close(); err != nil {
		ts.t.Errorf("close db: %v", err)
	}
	ts.Srv = nil
}

// do sends a JSON request and decodes the JSON answer into out (if non-nil).
func (ts *testServer) do(method, path, token string, body any, out any) int {
	ts.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		enc, _ := json.Marshal(b)
		rd = bytes.NewReader(enc)
	}
	req, _ := http.NewRequest(method, ts.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			ts.t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode
}

type created struct {
	ID               string `json:"id"`
	JoinCode         string `json:"joinCode"`
	FacilitatorToken string `json:"facilitatorToken"`
	ParticipantID    string `json:"participantId"`
}

type joined struct {
	SessionID     string `json:"sessionId"`
	ParticipantID string `json:"participantId"`
	Token         string `json:"token"`
}

func (ts *testServer) create(template string) created {
	ts.t.Helper()
	var c created
	if st := ts.do("POST", "/api/sessions", "", map[string]any{"title": "Diskusi Uji", "template": template, "facilitatorName": "Fasilitator"}, &c); st != 201 {
		ts.t.Fatalf("create: status %d", st)
	}
	return c
}

func (ts *testServer) join(code, name string) joined {
	ts.t.Helper()
	var j joined
	if st := ts.do("POST", "/api/join", "", map[string]any{"code": code, "name": name}, &j); st != 201 {
		ts.t.Fatalf("join: status %d", st)
	}
	return j
}

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
	m := map[string]any{"type": typ, "ref": ref}
	for k, v := range fields {
		m[k] = v
	}
	w.send(m)
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

// waitClose waits for the server to close and returns the close code.
func (w *wsClient) waitClose() int {
	w.t.Helper()
	select {
	case <-w.closed:
	case <-time.After(5 * time.Second):
		w.t.Fatalf("not closed within 5s")
	}
	var ce *websocket.CloseError
	if e, ok := w.closeErr.(*websocket.CloseError); ok {
		ce = e
		return ce.Code
	}
	return -1
}

func columnIDs(welcome map[string]any) []string {
	b := welcome["board"].(map[string]any)
	var out []string
	for _, c := range b["columns"].([]any) {
		out = append(out, c.(map[string]any)["id"].(string))
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

var _ = fmt.Sprintf

func bytesContain(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }
