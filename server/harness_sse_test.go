package server_test

// The kit's Server-Sent Events client: the HTTP fallback's stream, read
// line by line.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

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
