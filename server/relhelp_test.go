package server_test

// Helpers of the reliability and security tests (fallback, abuse, faults,
// security): an SSE client, raw HTTP commands, a log capture. Names start
// with rel/sse so they do not collide with other test files' helpers.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"rembuk/server"
)

// relPost sends one command through the HTTP fallback and returns the
// status and the decoded answer.
func (ts *testServer) relPost(sessionID, token string, cmd any) (int, map[string]any) {
	ts.t.Helper()
	var out map[string]any
	st := ts.do("POST", "/api/sessions/"+sessionID+"/commands", token, cmd, &out)
	return st, out
}

// relCmd builds a command object.
func relCmd(typ, ref string, fields map[string]any) map[string]any {
	m := map[string]any{"type": typ, "ref": ref}
	for k, v := range fields {
		m[k] = v
	}
	return m
}

// relRaw sends a request and returns the response with its body read.
func (ts *testServer) relRaw(method, path string, hdr map[string]string, body string) (*http.Response, []byte) {
	ts.t.Helper()
	var resp *http.Response
	var err error
	// The server may answer an oversized body and close while the client
	// still writes it ("reset by peer"): retry, the answer is what counts.
	for try := 0; try < 10; try++ {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, ts.URL+path, rd)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		if resp, err = http.DefaultClient.Do(req); err == nil {
			break
		}
	}
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// sseClient reads a Server-Sent Events stream and records each data line.
type sseClient struct {
	t      testing.TB
	resp   *http.Response
	frames chan []byte
	raw    *bytes.Buffer // every data line received, read by the test goroutine only
	done   chan struct{}
}

// sseOpen opens the events stream; tokenInQuery puts the token in ?token=.
// It fails the test unless the answer is 200 text/event-stream.
func (ts *testServer) sseOpen(sessionID, token string, since *int64, tokenInQuery bool) *sseClient {
	ts.t.Helper()
	c, status := ts.sseTry(sessionID, token, since, tokenInQuery)
	if status != 200 {
		ts.t.Fatalf("events: status %d, want 200", status)
	}
	return c
}

// sseTry opens the events stream and returns the client (nil unless 200)
// and the status.
func (ts *testServer) sseTry(sessionID, token string, since *int64, tokenInQuery bool) (*sseClient, int) {
	ts.t.Helper()
	u := ts.URL + "/api/sessions/" + sessionID + "/events"
	q := []string{}
	if since != nil {
		q = append(q, "since="+itoa(*since))
	}
	if tokenInQuery {
		q = append(q, "token="+token)
	}
	if len(q) > 0 {
		u += "?" + strings.Join(q, "&")
	}
	req, _ := http.NewRequest("GET", u, nil)
	if !tokenInQuery && token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		ts.t.Fatalf("events: %v", err)
	}
	if resp.StatusCode != 200 {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, resp.StatusCode
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		ts.t.Fatalf("events: content type %q", ct)
	}
	c := &sseClient{t: ts.t, resp: resp, frames: make(chan []byte, 100000), raw: &bytes.Buffer{}, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 64<<20) // a welcome at the caps is ~22 MB
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "data: ") {
				c.frames <- []byte(strings.TrimPrefix(line, "data: "))
			}
		}
	}()
	ts.t.Cleanup(c.close)
	return c, resp.StatusCode
}

func (c *sseClient) close() { c.resp.Body.Close() }

// next returns the next data frame, decoded.
func (c *sseClient) next() map[string]any {
	c.t.Helper()
	select {
	case f := <-c.frames:
		c.raw.Write(f)
		c.raw.WriteByte('\n')
		var m map[string]any
		if err := json.Unmarshal(f, &m); err != nil {
			c.t.Fatalf("sse frame %q: %v", f, err)
		}
		return m
	case <-time.After(10 * time.Second):
		c.t.Fatalf("sse: no frame within 10s")
	case <-c.done:
		select {
		case f := <-c.frames:
			c.frames <- f
			return c.next()
		default:
		}
		c.t.Fatalf("sse: stream ended")
	}
	return nil
}

// expect skips presence frames and returns the next frame of type typ.
func (c *sseClient) expect(typ string) map[string]any {
	c.t.Helper()
	for {
		m := c.next()
		if m["type"] == "presence" && typ != "presence" {
			continue
		}
		if m["type"] != typ {
			c.t.Fatalf("sse: got %v, want type %s", m, typ)
		}
		return m
	}
}

// event returns the next event frame.
func (c *sseClient) event() map[string]any {
	c.t.Helper()
	for {
		if m := c.next(); m["type"] == "event" {
			return m
		}
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// relLog is a goroutine-safe buffer for a JSON slog handler.
type relLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *relLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *relLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// relWithLog makes the server log JSON into l at debug level.
func relWithLog(l *relLog) func(*server.Config) {
	return func(c *server.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

// relSetup creates a session with the kosong template and n participants
// and returns the session, their join answers and the first column id.
func (ts *testServer) relSetup(template string, names ...string) (created, []joined, string) {
	ts.t.Helper()
	s := ts.create(template)
	var js []joined
	for _, n := range names {
		js = append(js, ts.join(s.JoinCode, n))
	}
	var board map[string]any
	if st := ts.do("GET", "/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, &board); st != 200 {
		ts.t.Fatalf("board: status %d", st)
	}
	col := board["columns"].([]any)[0].(map[string]any)["id"].(string)
	return s, js, col
}
