package server_test

// The server's test kit, one for every test file of the package: a real
// server on 127.0.0.1:0 over a real SQLite file (startServer), one way to
// send HTTP (raw, with request and do on top), sessions and joins, a
// WebSocket client (harness_ws_test.go), an SSE client
// (harness_sse_test.go), a session with its three roles connected
// (harness_trio_test.go), checks of answers and of what a viewer received
// (harness_checks_test.go), and a goroutine-leak check when each server
// stops (harness_leak_test.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
// When the test ends the server stops, and every goroutine started since
// the first live server started must be gone (harness_leak_test.go).
func startServer(tb testing.TB, dbPath string, mod ...func(*server.Config)) *testServer {
	tb.Helper()
	watch := watchGoroutines()
	if dbPath == "" {
		dbPath = filepath.Join(tb.TempDir(), "rembuk.db")
	}
	db, err := store.Open(dbPath, testLogger(tb))
	if err != nil {
		watch.done(tb)
		tb.Fatalf("open store: %v", err)
	}
	cfg := server.Config{Store: db, Logger: testLogger(tb)}
	for _, m := range mod {
		m(&cfg)
	}
	srv := server.New(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		db.Close()
		watch.done(tb)
		tb.Fatal(err)
	}
	ts := &testServer{t: tb, URL: "http://" + ln.Addr().String(), DBPath: dbPath, DB: db, Srv: srv, done: make(chan error, 1)}
	go func() { ts.done <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		ts.Stop()
		watch.done(tb)
	})
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

// raw sends a request with the given headers and body (nil, a string, a
// []byte, or a value sent as JSON) and returns the response with its body
// read: the one way the kit speaks HTTP.
func (ts *testServer) raw(method, path string, hdr map[string]string, body any) (*http.Response, []byte) {
	ts.t.Helper()
	var b []byte
	switch x := body.(type) {
	case nil:
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		b = mustJSON(x)
	}
	var resp *http.Response
	var err error
	// The server may answer an oversized body and close while the client
	// still writes it ("reset by peer"): retry, the answer is what counts.
	for try := 0; try < 10; try++ {
		var rd io.Reader
		if len(b) > 0 {
			rd = bytes.NewReader(b)
		}
		req, rerr := http.NewRequest(method, ts.URL+path, rd)
		if rerr != nil {
			ts.t.Fatal(rerr)
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		if h := hdr["Host"]; h != "" {
			req.Host = h // Go sends req.Host, not a Host header
		}
		if resp, err = http.DefaultClient.Do(req); err == nil {
			break
		}
	}
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

// request is raw for a test that wants the status and the body.
func (ts *testServer) request(method, path string, hdr map[string]string, body any) (int, []byte) {
	ts.t.Helper()
	resp, b := ts.raw(method, path, hdr, body)
	return resp.StatusCode, b
}

// do sends a JSON request as token's holder and decodes the JSON answer
// into out (if non-nil).
func (ts *testServer) do(method, path, token string, body any, out any) int {
	ts.t.Helper()
	hdr := map[string]string{"Content-Type": "application/json"}
	if token != "" {
		hdr["Authorization"] = "Bearer " + token
	}
	st, raw := ts.request(method, path, hdr, body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			ts.t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return st
}

// post sends one command through the HTTP fallback and returns the status
// and the decoded answer.
func (ts *testServer) post(sessionID, token string, cmd any) (int, map[string]any) {
	ts.t.Helper()
	var out map[string]any
	st := ts.do("POST", "/api/sessions/"+sessionID+"/commands", token, cmd, &out)
	return st, out
}

// cmdOf builds a command object.
func cmdOf(typ, ref string, fields map[string]any) map[string]any {
	m := map[string]any{"type": typ, "ref": ref}
	for k, v := range fields {
		m[k] = v
	}
	return m
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

// board reads a session's board over HTTP as token's holder.
func (ts *testServer) board(sessionID, token string) map[string]any {
	ts.t.Helper()
	var bd map[string]any
	if st := ts.do("GET", "/api/sessions/"+sessionID+"/board", token, nil, &bd); st != 200 {
		ts.t.Fatalf("board: status %d", st)
	}
	return bd
}

// setup creates a session of template with the named participants and
// returns the session, their join answers and the first column's id.
func (ts *testServer) setup(template string, names ...string) (created, []joined, string) {
	ts.t.Helper()
	s := ts.create(template)
	var js []joined
	for _, n := range names {
		js = append(js, ts.join(s.JoinCode, n))
	}
	bd := ts.board(s.ID, s.FacilitatorToken)
	col := bd["columns"].([]any)[0].(map[string]any)["id"].(string)
	return s, js, col
}

// testClock is an injected clock the test moves by hand: rate limits are
// tested without sleeping.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *testClock) now() time.Time            { return time.Unix(0, c.ns.Load()).UTC() }
func (c *testClock) advance(d time.Duration)   { c.ns.Add(int64(d)) }
func (c *testClock) use() func(*server.Config) { return func(cfg *server.Config) { cfg.Clock = c.now } }

// noCommandLimit lifts the per-person command rate for tests that fill a
// board as set-up, not to test the rate.
func noCommandLimit(c *server.Config) { c.CommandRate, c.CommandBurst = 1e9, 1e9 }

// noCreateLimit lifts the per-address session creation limit.
func noCreateLimit(c *server.Config) { c.SessionsPerHour = -1 }

// logBuffer is a goroutine-safe buffer for a JSON slog handler.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// withLog makes the server log JSON into l at debug level.
func withLog(l *logBuffer) func(*server.Config) {
	return func(c *server.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// authJSON is the headers of a JSON request as token's holder.
func authJSON(tok string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "application/json"}
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

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func bytesContain(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }
