package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// session is one discussion the generator created, with its participants'
// tokens and their connections.
type session struct {
	id, code         string
	facToken, facID  string
	tokens, pids     []string
	conns            []*conn // reading connections
	stalled          []*conn // connections that never read (W4)
	sent             atomic.Int64
	facilitatorConns []*conn
	log              *sendLog // mixed workload: what each seq was and when it was sent
}

// Idle connections are dropped well before the server's 30 s read timeout.
var httpc = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 10 * time.Second}}

func postJSON(url string, in, out any) error {
	body, _ := json.Marshal(in)
	resp, err := httpc.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST %s: %d %s", url, resp.StatusCode, raw)
	}
	return json.Unmarshal(raw, out)
}

// createSessions creates n sessions (template "kosong": one column) and
// joins per participants to each, in parallel.
func createSessions(base string, n, per int) ([]*session, error) {
	out := make([]*session, n)
	for i := range out {
		var cr struct {
			ID, JoinCode, FacilitatorToken, ParticipantID string
		}
		err := postJSON(base+"/api/sessions", map[string]string{
			"title": fmt.Sprintf("bench %d", i), "template": "kosong", "facilitatorName": "Fasilitator"}, &cr)
		if err != nil {
			return nil, err
		}
		out[i] = &session{id: cr.ID, code: cr.JoinCode, facToken: cr.FacilitatorToken, facID: cr.ParticipantID,
			tokens: make([]string, per), pids: make([]string, per)}
	}
	type job struct{ s, p int }
	jobs := make(chan job)
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				s := out[j.s]
				var jr struct{ SessionID, ParticipantID, Token string }
				err := postJSON(base+"/api/join", map[string]string{"code": s.code, "name": fmt.Sprintf("Peserta %d", j.p+1)}, &jr)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				s.tokens[j.p], s.pids[j.p] = jr.Token, jr.ParticipantID
			}
		}()
	}
	for s := range out {
		for p := 0; p < per; p++ {
			jobs <- job{s, p}
		}
	}
	close(jobs)
	wg.Wait()
	return out, firstErr
}

// connectAll dials every participant of every session, in parallel, each
// on its node of the target (clientBase); the last stalled participants of
// each session are dialled but never read.
func connectAll(t *target, ss []*session, stalled int, clk *clock, win *window) error {
	type job struct {
		s *session
		p int
	}
	jobs := make(chan job)
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				base, local := t.clientBaseOf(j.p)
				c, err := dial(base, j.s, j.s.pids[j.p], j.s.tokens[j.p], clk, win)
				if c != nil {
					c.local = local
				}
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
				} else if j.p >= len(j.s.pids)-stalled {
					j.s.stalled = append(j.s.stalled, c)
				} else {
					c.start()
					j.s.conns = append(j.s.conns, c)
				}
				mu.Unlock()
			}
		}()
	}
	for _, s := range ss {
		for p := range s.pids {
			jobs <- job{s, p}
		}
	}
	close(jobs)
	wg.Wait()
	return firstErr
}

// closeAll closes every connection of the sessions.
func closeAll(ss []*session) {
	var wg sync.WaitGroup
	for _, s := range ss {
		for _, c := range append(append(append([]*conn{}, s.conns...), s.stalled...), s.facilitatorConns...) {
			wg.Add(1)
			go func() { defer wg.Done(); c.closeNow() }()
		}
	}
	wg.Wait()
}

// settle waits until no connection received anything for quiet (the
// presence frames of a crowd connecting), at most max.
func settle(ss []*session, clk *clock, quiet, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		time.Sleep(quiet / 4)
		var last int64
		for _, s := range ss {
			for _, c := range s.conns {
				last = max(last, c.last.Load())
			}
		}
		if clk.now()-last >= int64(quiet) {
			return
		}
	}
}
