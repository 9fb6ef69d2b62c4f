package server_test

// Behind a trusted proxy the client's address is the last entry of the
// last X-Forwarded-For line: HAProxy's `option forwardfor` adds a line of
// its own after whatever the client sent, so the first line is the
// client's to choose. Every per-address limit counts that address.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fasthttp/websocket"

	"rembuk/server"
)

func behindProxy(c *server.Config) { c.TrustedProxies = []string{"127.0.0.1"} }

// joinXFF posts a join whose request carries one X-Forwarded-For line per
// entry of lines.
func joinXFF(t *testing.T, ts *testServer, code string, lines ...string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL+"/api/join", strings.NewReader(fmt.Sprintf(`{"code":%q,"name":"Tamu"}`, code)))
	req.Header.Set("Content-Type", "application/json")
	req.Header["X-Forwarded-For"] = lines
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestFailedJoinsCountTheProxysLine: a client that writes an
// X-Forwarded-For of its own, different every time, before HAProxy's line
// is still one address.
func TestFailedJoinsCountTheProxysLine(t *testing.T) {
	ts := startServer(t, "", behindProxy)
	s := ts.create("kosong")
	for i := range 10 {
		if st := joinXFF(t, ts, "ZZZZZZ", fmt.Sprintf("10.9.9.%d", i), "198.51.100.7"); st != 404 {
			t.Fatalf("failed join %d: %d, want 404", i+1, st)
		}
	}
	if st := joinXFF(t, ts, s.JoinCode, "10.9.9.200", "198.51.100.7"); st != 429 {
		t.Fatalf("11th join of 198.51.100.7 under a new first line: %d, want 429", st)
	}
	if st := joinXFF(t, ts, s.JoinCode, "10.9.9.0", "198.51.100.8"); st != 201 {
		t.Fatalf("another client of the proxy: %d, want 201", st)
	}
}

// TestConnectionCapCountsTheProxysLine: the cap of live connections per
// address too.
func TestConnectionCapCountsTheProxysLine(t *testing.T) {
	ts := startServer(t, "", behindProxy, func(c *server.Config) { c.MaxConnsPerAddress = 2 })
	s := ts.create("kosong")
	u := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/sessions/" + s.ID
	for i := range 3 {
		h := http.Header{"X-Forwarded-For": {fmt.Sprintf("10.8.8.%d", i), "198.51.100.9"}}
		c, resp, err := websocket.DefaultDialer.Dial(u, h)
		if i < 2 {
			if err != nil {
				t.Fatalf("WebSocket %d: %v", i+1, err)
			}
			defer c.Close()
			// Counted once its handler runs: the welcome says it has.
			c.WriteJSON(map[string]any{"type": "hello", "token": s.FacilitatorToken})
			var f map[string]any
			if err := c.ReadJSON(&f); err != nil || f["type"] != "welcome" {
				t.Fatalf("WebSocket %d: %v %v, want a welcome", i+1, f["type"], err)
			}
			continue
		}
		if err == nil {
			c.Close()
			t.Fatal("a 3rd WebSocket of 198.51.100.9 under a new first line was upgraded, want 429")
		}
		if resp == nil || resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("3rd WebSocket: %v, want 429", err)
		}
	}
}
