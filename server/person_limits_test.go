package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rembuk/server"
)

// countAnswers reads frames from w until n acks or errors arrived and
// returns how many were acks and how many rate_limited.
func countAnswers(t *testing.T, w *wsClient, n int) (acks, limited int) {
	t.Helper()
	for acks+limited < n {
		f := w.next()
		switch {
		case f["type"] == "ack":
			acks++
		case f["type"] == "error" && f["code"] == "rate_limited":
			limited++
		case f["type"] == "error":
			t.Fatalf("unexpected error %v", f)
		}
	}
	return acks, limited
}

// One person's 20/s (burst 40) holds across all of their WebSockets and
// the HTTP fallback together: at a standing clock, 3 sockets and HTTP
// sending 60 notes each get exactly 40 stored between them; a second later
// exactly 20 more. Another person is not touched by it.
func TestLimitPerPersonAcrossTransports(t *testing.T) {
	clock := newTestClock()
	ts := startServer(t, "", clock.use())
	s, js, col := ts.setup("kosong", "Banjir", "Tenang")
	flood, calm := js[0], js[1]
	var socks []*wsClient
	for i := 0; i < 3; i++ {
		c, _ := ts.connect(s.ID, flood.Token, nil)
		socks = append(socks, c)
	}
	const per = 60
	note := func(ref string) map[string]any {
		return cmdOf("note.add", ref, map[string]any{"columnId": col, "text": "banjir " + ref})
	}
	for i, c := range socks {
		for k := 0; k < per; k++ {
			c.send(note(fmt.Sprintf("w%d-%d", i, k)))
		}
	}
	httpAcks, httpLimited := 0, 0
	for k := 0; k < per; k++ {
		st, out := ts.post(s.ID, flood.Token, note(fmt.Sprint("h", k)))
		switch {
		case st == 200:
			httpAcks++
		case st == 429 && out["code"] == "rate_limited":
			httpLimited++
		default:
			t.Fatalf("HTTP command %d: %d %v", k, st, out)
		}
	}
	total := httpAcks
	for _, c := range socks {
		a, _ := countAnswers(t, c, per)
		total += a
	}
	if total != 40 {
		t.Fatalf("4 transports x %d commands at one instant: %d stored (HTTP %d, limited %d), want the burst of 40", per, total, httpAcks, httpLimited)
	}
	// The other person still has their whole burst.
	other, _ := ts.connect(s.ID, calm.Token, nil)
	for k := 0; k < 40; k++ {
		other.ack("note.add", fmt.Sprint("c", k), map[string]any{"columnId": col, "text": "tenang"})
	}
	// A second later: 20 more in all, however they are spread.
	clock.advance(time.Second)
	for k := 0; k < 20; k++ {
		socks[k%3].send(note(fmt.Sprint("later-w", k)))
	}
	later := 0
	for i, c := range socks {
		a, _ := countAnswers(t, c, 7-boolInt(i == 2))
		later += a
	}
	for k := 0; k < 10; k++ {
		if st, _ := ts.post(s.ID, flood.Token, note(fmt.Sprint("later-h", k))); st == 200 {
			later++
		}
	}
	if later != 20 {
		t.Fatalf("a second later: %d stored of 30 sent, want 20", later)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The HTTP fallback alone is held to the same rate (it had none).
func TestLimitHTTPFallback(t *testing.T) {
	clock := newTestClock()
	ts := startServer(t, "", clock.use())
	s, js, col := ts.setup("kosong", "Ani")
	c := ts.postMany(s.ID, js[0].Token, 200, 8, func(i int) map[string]any {
		return cmdOf("note.add", fmt.Sprint("n", i), map[string]any{"columnId": col, "text": "lewat HTTP"})
	})
	if c["ack"] != 40 || c["429 rate_limited"] != 160 {
		t.Fatalf("200 HTTP commands at one instant: %v, want 40 ack and 160 rate_limited", c)
	}
	clock.advance(500 * time.Millisecond)
	c = ts.postMany(s.ID, js[0].Token, 20, 4, func(i int) map[string]any {
		return cmdOf("note.add", fmt.Sprint("m", i), map[string]any{"columnId": col, "text": "lewat HTTP"})
	})
	if c["ack"] != 10 {
		t.Fatalf("half a second later: %v, want 10 acks", c)
	}
}

// POST /api/sessions, /api/join and /commands take only a body declared
// JSON: a foreign page's form or text/plain POST (which browsers send
// without a preflight) is 415 invalid and changes nothing.
func TestContentTypeMustBeJSON(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani")
	bodies := map[string]string{
		"/api/sessions":                       `{"title":"Palsu","template":"kosong","facilitatorName":"F"}`,
		"/api/join":                           fmt.Sprintf(`{"code":%q,"name":"Penyusup"}`, s.JoinCode),
		"/api/sessions/" + s.ID + "/commands": fmt.Sprintf(`{"type":"note.add","ref":"ct","columnId":%q,"text":"dari situs lain"}`, col),
	}
	for path, body := range bodies {
		for _, ct := range []string{"", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "json"} {
			hdr := map[string]string{"Authorization": "Bearer " + js[0].Token}
			if ct != "" {
				hdr["Content-Type"] = ct
			}
			resp, b := ts.raw("POST", path, hdr, body)
			var out struct {
				Error struct{ Code, Message string }
			}
			json.Unmarshal(b, &out)
			if resp.StatusCode != 415 || out.Error.Code != "invalid" || out.Error.Message == "" {
				t.Fatalf("POST %s with Content-Type %q: %d %s, want 415 invalid", path, ct, resp.StatusCode, b)
			}
		}
	}
	// Nothing happened: no session, no participant, no note.
	bd := ts.board(s.ID, s.FacilitatorToken)
	if n := len(bd["participants"].([]any)); n != 2 {
		t.Fatalf("%d participants after refused joins, want 2", n)
	}
	if n := len(bd["notes"].([]any)); n != 0 {
		t.Fatalf("%d notes after refused commands, want 0", n)
	}
	// With parameters, JSON is accepted.
	for path, body := range bodies {
		hdr := map[string]string{"Authorization": "Bearer " + js[0].Token, "Content-Type": "Application/JSON; charset=utf-8"}
		if resp, b := ts.raw("POST", path, hdr, body); resp.StatusCode >= 300 {
			t.Fatalf("POST %s as application/json; charset=utf-8: %d %s", path, resp.StatusCode, b)
		}
	}
}

// Session creation is limited per client address: 30 an hour, then 429
// rate_limited with Retry-After; an hour later it works again. Behind a
// trusted proxy the address is the forwarded one, and the log line of
// each session records it.
func TestLimitSessionCreationPerAddress(t *testing.T) {
	clock := newTestClock()
	logs := &logBuffer{}
	ts := startServer(t, "", clock.use(), withLog(logs), func(c *server.Config) { c.TrustedProxies = []string{"127.0.0.1"} })
	createFrom := func(addr string) (*http.Response, []byte) {
		return ts.raw("POST", "/api/sessions", map[string]string{"Content-Type": "application/json", "X-Forwarded-For": addr},
			`{"title":"Rapat","template":"kosong","facilitatorName":"F"}`)
	}
	for i := 0; i < 30; i++ {
		if resp, b := createFrom("203.0.113.9"); resp.StatusCode != 201 {
			t.Fatalf("session %d: %d %s", i+1, resp.StatusCode, b)
		}
		clock.advance(time.Minute)
	}
	resp, b := createFrom("203.0.113.9")
	if resp.StatusCode != 429 || !strings.Contains(string(b), `"rate_limited"`) {
		t.Fatalf("31st session within the hour: %d %s, want 429 rate_limited", resp.StatusCode, b)
	}
	// The oldest of the 30 ages out 30 minutes from now.
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra != 30*60 {
		t.Fatalf("Retry-After %q, want 1800", resp.Header.Get("Retry-After"))
	}
	if resp, _ := createFrom("198.51.100.4"); resp.StatusCode != 201 {
		t.Fatalf("another address: %d, want 201", resp.StatusCode)
	}
	clock.advance(30 * time.Minute)
	if resp, b := createFrom("203.0.113.9"); resp.StatusCode != 201 {
		t.Fatalf("after the oldest aged out: %d %s", resp.StatusCode, b)
	}
	if !strings.Contains(logs.String(), `"msg":"session created"`) || !strings.Contains(logs.String(), `"addr":"198.51.100.4"`) {
		t.Fatalf("the session created log line lacks the address:\n%s", logs.String())
	}
	// 60 at once from a fresh address: exactly 30 get through.
	var made, limited atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch resp, _ := createFrom("192.0.2.77"); resp.StatusCode {
			case 201:
				made.Add(1)
			case 429:
				limited.Add(1)
			}
		}()
	}
	wg.Wait()
	if made.Load() != 30 || limited.Load() != 30 {
		t.Fatalf("60 parallel creations: %d made, %d limited, want 30 and 30", made.Load(), limited.Load())
	}
}

// Many people each sending a little are all served: the per-person
// buckets do not interfere, from many goroutines at once.
func TestLimitManyPeopleConcurrently(t *testing.T) {
	clock := newTestClock()
	ts := startServer(t, "", clock.use())
	names := make([]string, 12)
	for i := range names {
		names[i] = fmt.Sprint("Orang ", i)
	}
	s, js, col := ts.setup("kosong", names...)
	var wg sync.WaitGroup
	var acked atomic.Int64
	for i, j := range js {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 30; k++ {
				body, _ := json.Marshal(cmdOf("note.add", fmt.Sprint("p", k), map[string]any{"columnId": col, "text": fmt.Sprint(i, "/", k)}))
				req, _ := http.NewRequest("POST", ts.URL+"/api/sessions/"+s.ID+"/commands", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+j.Token)
				req.Header.Set("Content-Type", "application/json")
				if resp, err := http.DefaultClient.Do(req); err == nil {
					if resp.StatusCode == 200 {
						acked.Add(1)
					}
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	if got := acked.Load(); got != int64(30*len(js)) {
		t.Fatalf("%d people x 30 commands: %d acked, want all", len(js), got)
	}
}
