// Package clustertest runs several real rembuk nodes on PostgreSQL and
// nats-server (all started by internal/testenv on 127.0.0.1) under load
// from WebSocket clients, and kills, pauses and restarts what a cluster
// runs on: a node, nats-server, PostgreSQL. After each fault the stored
// log and what the clients were told must agree (docs/cluster.md,
// "Tests").
package clustertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"rembuk/internal/testenv"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.RemoveBinary()
	if err := pgServer.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stop PostgreSQL:", err)
		code = 1
	}
	os.Exit(code)
}

// httpJSON sends a JSON request and decodes the answer.
func httpJSON(t testing.TB, method, url, token string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// setupSessions creates n sessions of per participants (the facilitator
// first), session i through urls[i%len(urls)].
func setupSessions(t testing.TB, urls []string, n, per int) [][]seat {
	t.Helper()
	out := make([][]seat, n)
	for i := range out {
		url := urls[i%len(urls)]
		var c struct{ ID, JoinCode, FacilitatorToken, ParticipantID string }
		if st := httpJSON(t, "POST", url+"/api/sessions", "", map[string]any{"title": fmt.Sprint("Klaster ", i), "template": "kosong", "facilitatorName": "Fasilitator"}, &c); st != 201 {
			t.Fatalf("create session on %s: %d", url, st)
		}
		var bd struct{ Columns []struct{ ID string } }
		if st := httpJSON(t, "GET", url+"/api/sessions/"+c.ID+"/board", c.FacilitatorToken, nil, &bd); st != 200 || len(bd.Columns) == 0 {
			t.Fatalf("board of %s: %d", c.ID, st)
		}
		col := bd.Columns[0].ID
		out[i] = append(out[i], seat{c.ID, c.FacilitatorToken, col, c.ParticipantID})
		for j := 1; j < per; j++ {
			var jn struct{ Token, ParticipantID string }
			if st := httpJSON(t, "POST", url+"/api/join", "", map[string]any{"code": c.JoinCode, "name": fmt.Sprint("Peserta ", j)}, &jn); st != 201 {
				t.Fatalf("join: %d", st)
			}
			out[i] = append(out[i], seat{c.ID, jn.Token, col, jn.ParticipantID})
		}
	}
	return out
}

// load is the clients of a test, running until halt.
type load struct {
	clients []*client
	stop    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
}

// startLoad starts one client per seat at rate notes/s; pick(i) says
// where client i connects. It returns once every client is connected.
func startLoad(t *testing.T, seats [][]seat, rate float64, pick func(i int) func() string) *load {
	t.Helper()
	l := &load{stop: make(chan struct{})}
	for _, s := range seats {
		for _, st := range s {
			n := len(l.clients)
			l.clients = append(l.clients, newClient(n, st, rate, pick(n)))
		}
	}
	for _, c := range l.clients {
		l.wg.Add(1)
		go func() { defer l.wg.Done(); c.run(l.stop) }()
	}
	t.Cleanup(l.halt)
	waitFor(t, 20*time.Second, "every client connected", func() bool {
		for _, c := range l.clients {
			if !c.connected.Load() {
				return false
			}
		}
		return true
	})
	return l
}

// halt stops every client and waits for them.
func (l *load) halt() {
	l.once.Do(func() { close(l.stop) })
	l.wg.Wait()
}

// waitFor polls cond every 20 ms until it holds or limit passes (then the
// test fails with what).
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("no %s within %v", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// acksSince counts the acks received after at.
func acksSince(clients []*client, at time.Time) int {
	n := 0
	for _, c := range clients {
		for _, a := range c.stats().acks {
			if a.At.After(at) {
				n++
			}
		}
	}
	return n
}
