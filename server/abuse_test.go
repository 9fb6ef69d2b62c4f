package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"rembuk/board"
	"rembuk/server"
)

// parallelClient is an HTTP client with enough idle connections for parallel
// posting.
var parallelClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}

// postMany sends n commands through the HTTP fallback from conc
// goroutines and returns the count of each answer code ("ack" for 200).
func (ts *testServer) postMany(sessionID, token string, n, conc int, mk func(i int) map[string]any) map[string]int {
	ts.t.Helper()
	var mu sync.Mutex
	counts := map[string]int{}
	var next atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < conc; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				body, _ := json.Marshal(mk(i))
				req, _ := http.NewRequest("POST", ts.URL+"/api/sessions/"+sessionID+"/commands", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := parallelClient.Do(req)
				code := "transport"
				if err == nil {
					var out map[string]any
					json.NewDecoder(resp.Body).Decode(&out)
					resp.Body.Close()
					code = "ack"
					if resp.StatusCode != 200 {
						code, _ = out["code"].(string)
						code = fmt.Sprint(resp.StatusCode, " ", code)
					}
				}
				mu.Lock()
				counts[code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return counts
}

// Invalid UTF-8, binary frames and frames over 16 KiB get an error and the
// connection stays usable; ten bad frames in a row close it with 1008.
func TestAbuseBadFrames(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani")
	c, _ := ts.connect(s.ID, js[0].Token, nil)

	bad := [][]byte{
		[]byte("{\"type\":\"note.add\",\"ref\":\"u1\",\"columnId\":\"" + col + "\",\"text\":\"\xff\xfe\"}"),
		[]byte("not json at all"),
		[]byte(`{"type":"note.explode","ref":"x1"}`),
		[]byte(`{"type":"note.add","ref":"` + strings.Repeat("r", 200) + `"}`),
		[]byte(`{"type":"note.add","ref":"big","columnId":"` + col + `","text":"` + strings.Repeat("z", 17<<10) + `"}`),
	}
	want := []string{"invalid", "invalid", "invalid", "invalid", "too_large"}
	for i, f := range bad {
		c.send(f)
		if e := c.expect("error"); e["code"] != want[i] {
			t.Fatalf("bad frame %d: got %v, want %s", i, e, want[i])
		}
	}
	if err := c.c.WriteMessage(websocket.BinaryMessage, []byte(`{"type":"note.add","ref":"b1"}`)); err != nil {
		t.Fatal(err)
	}
	if e := c.expect("error"); e["code"] != "invalid" {
		t.Fatalf("binary frame: got %v, want invalid", e)
	}
	// Still usable.
	c.ack("note.add", "ok1", map[string]any{"columnId": col, "text": "masih bisa"})

	// Ten bad frames in a row: 1008.
	c2, _ := ts.connect(s.ID, js[0].Token, nil)
	for i := 0; i < 10; i++ {
		if err := c2.c.WriteMessage(websocket.TextMessage, []byte{0xff, 0xfe, 0xfd}); err != nil {
			break
		}
	}
	if code := c2.waitClose(); code != 1008 {
		t.Fatalf("after 10 bad frames: close %d, want 1008", code)
	}
}

// A 2 MiB frame is closed with 1009; in the hello too.
func TestAbuseHugeFrame(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani")
	huge := []byte(`{"type":"note.add","ref":"h","columnId":"` + col + `","text":"` + strings.Repeat("a", 2<<20) + `"}`)

	c, _ := ts.connect(s.ID, js[0].Token, nil)
	go c.c.WriteMessage(websocket.TextMessage, huge) // may fail: the server closes mid-frame
	if code := c.waitClose(); code != 1009 {
		t.Fatalf("2 MiB frame: close %d (%v), want 1009", code, c.closeErr)
	}
	// The websocket package sends the 1009 close itself as soon as it
	// reads the frame's length, so a too_large error frame cannot come
	// first (frames of 16-64 KiB get too_large: TestAbuseBadFrames).

	// A huge hello is refused the same way, before any authentication.
	c2 := ts.dial(s.ID)
	go c2.c.WriteMessage(websocket.TextMessage, huge)
	if code := c2.waitClose(); code != 1009 && code != -1 {
		t.Fatalf("2 MiB hello: close %d, want 1009 (or a dropped connection)", code)
	}
	// The server is fine.
	c3, _ := ts.connect(s.ID, js[0].Token, nil)
	c3.ack("note.add", "after", map[string]any{"columnId": col, "text": "masih hidup"})
}

// A flood gets rate_limited, not a close; after a pause the same
// connection works.
func TestAbuseFlood(t *testing.T) {
	clock := newTestClock()
	ts := startServer(t, "", clock.use())
	s, js, col := ts.setup("kosong", "Ani")
	c, _ := ts.connect(s.ID, js[0].Token, nil)
	const n = 300
	var buf []byte
	for i := 0; i < n; i++ {
		buf, _ = json.Marshal(cmdOf("note.add", fmt.Sprint("f", i), map[string]any{"columnId": col, "text": fmt.Sprint("banjir ", i)}))
		if err := c.c.WriteMessage(websocket.TextMessage, buf); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	acks, limited := 0, 0
	for acks+limited < n {
		f := c.next()
		switch {
		case f["type"] == "ack":
			acks++
		case f["type"] == "error" && f["code"] == "rate_limited":
			limited++
		case f["type"] == "error":
			t.Fatalf("unexpected error %v", f)
		}
	}
	if limited == 0 || acks < 40 || acks > 80 {
		t.Fatalf("flood of %d: %d acked, %d rate_limited; want about 40 acked (burst) and the rest limited", n, acks, limited)
	}
	clock.advance(1100 * time.Millisecond)
	for i := 0; i < 15; i++ {
		c.ack("note.add", fmt.Sprint("after", i), map[string]any{"columnId": col, "text": "setelah jeda"})
	}
	t.Logf("flood of %d: %d acked, %d rate_limited; connection still open", n, acks, limited)
}

// Thousands of connections opened and dropped (half never say hello, half
// join a room and vanish without a close frame) leave no goroutines or
// memory behind.
func TestAbuseManyConnectionsDropped(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 400 // the race detector allows 8128 goroutines in all
	}
	// All from one address: the cap per address (2,000) is tested apart.
	ts := startServer(t, "", func(c *server.Config) { c.MaxConnsPerAddress = n + 10 })
	// A participant holds at most 8 live connections: the hello'd half is
	// spread over enough participants that every one of them stays attached.
	names := make([]string, n/2/8+1)
	for i := range names {
		names[i] = fmt.Sprint("Peserta ", i)
	}
	s, js, col := ts.setup("kosong", names...)
	warm, _ := ts.connect(s.ID, s.FacilitatorToken, nil) // the room stays loaded throughout
	warm.ack("note.add", "warm", map[string]any{"columnId": col, "text": "pemanasan"})
	closeIdleHTTP()

	g0, h0 := goroutineCount(), heapBytes()
	u := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/sessions/" + s.ID
	conns := make([]*websocket.Conn, 0, n)
	dialer := &websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024}
	for i := 0; i < n; i++ {
		c, _, err := dialer.Dial(u, nil)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		if i%2 == 0 {
			hello, _ := json.Marshal(map[string]any{"type": "hello", "token": js[i/2%len(js)].Token})
			c.WriteMessage(websocket.TextMessage, hello)
		}
		conns = append(conns, c)
	}
	// Wait until the room has every hello'd connection (welcome read).
	for i := 0; i < n; i += 2 {
		conns[i].SetReadDeadline(time.Now().Add(20 * time.Second))
		if _, _, err := conns[i].ReadMessage(); err != nil {
			t.Fatalf("welcome %d: %v", i, err)
		}
	}
	gPeak, hPeak := goroutineCount(), heapBytes()
	for _, c := range conns {
		c.NetConn().Close() // no close frame: the client just vanishes
	}
	conns = nil

	deadline := time.Now().Add(40 * time.Second)
	var g, h int
	for {
		closeIdleHTTP()
		g, h = goroutineCount(), heapBytes()
		if g <= g0+25 && h <= h0+16<<20 {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("after dropping %d connections: %d goroutines (baseline %d, peak %d), heap %d KiB (baseline %d KiB, peak %d KiB)\n%s",
				n, g, g0, gPeak, h>>10, h0>>10, hPeak>>10, stackSummary(string(buf)))
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("%d connections: goroutines %d -> peak %d -> %d; heap %d KiB -> peak %d KiB -> %d KiB", n, g0, gPeak, g, h0>>10, hPeak>>10, h>>10)
	// The room still serves.
	warm.ack("note.add", "still", map[string]any{"columnId": col, "text": "masih melayani"})
}

func closeIdleHTTP() {
	http.DefaultClient.CloseIdleConnections()
	parallelClient.CloseIdleConnections()
}

func goroutineCount() int { return runtime.NumGoroutine() }

func heapBytes() int {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int(m.HeapAlloc)
}

// stackSummary counts goroutines by their top function.
func stackSummary(dump string) string {
	counts := map[string]int{}
	for _, g := range strings.Split(dump, "\n\n") {
		lines := strings.Split(g, "\n")
		if len(lines) > 1 {
			counts[strings.TrimSpace(lines[1])]++
		}
	}
	var b strings.Builder
	for k, v := range counts {
		if v > 3 {
			fmt.Fprintf(&b, "%5d %s\n", v, k)
		}
	}
	return b.String()
}

// During a paste of 1,000 notes (each as large as a note can be), every
// reading client, WebSocket and SSE, gets every event in order, while a
// WebSocket and an SSE client that stopped reading are cut off (the
// others see them go offline), and the WebSocket one later resumes from
// the log without a gap.
func TestAbuseStalledClientDuringPaste(t *testing.T) {
	// The paste fills the board through the HTTP fallback faster than
	// one person may send; the rate is not what this test is about.
	t.Parallel()
	ts := startServer(t, "", noCommandLimit)
	s, js, col := ts.setup("kosong", "Ani", "Bayu", "Citra", "Dodi", "Macet", "MacetSSE")
	stalledP, stalledSSE := js[4], js[5]

	// The stalled client: says hello, reads the welcome, then never reads
	// again, with a small receive buffer.
	u := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/sessions/" + s.ID
	// A small receive buffer and segment size, set before connecting, keep
	// the kernel from absorbing the paste on the stalled client's behalf
	// (loopback's 64 KiB segments would let the server's send buffer grow
	// to megabytes).
	small := &net.Dialer{Control: func(network, address string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) {
			syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
			syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_MAXSEG, 1024)
		})
	}}
	dialer := &websocket.Dialer{NetDialContext: small.DialContext}
	stalled, _, err := dialer.Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	stalled.WriteJSON(map[string]any{"type": "hello", "token": stalledP.Token})
	_, wel, err := stalled.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	var welcome map[string]any
	json.Unmarshal(wel, &welcome)
	seq0 := num(welcome["board"].(map[string]any)["seq"])

	// A stalled event stream: the request, then never a read.
	rawSSE, err := small.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer rawSSE.Close()
	fmt.Fprintf(rawSSE, "GET /api/sessions/%s/events?token=%s HTTP/1.1\r\nHost: x\r\n\r\n", s.ID, stalledSSE.Token)

	var readers []*wsClient
	for _, p := range js[:3] {
		c, _ := ts.connect(s.ID, p.Token, nil)
		readers = append(readers, c)
	}
	sse := ts.sseOpen(s.ID, js[3].Token, nil, false)
	sse.expect("welcome")

	const notes = 1000
	text := strings.Repeat("😀", board.MaxNoteText) // 4,000 bytes
	start := time.Now()
	counts := ts.postMany(s.ID, s.FacilitatorToken, notes, 8, func(i int) map[string]any {
		return cmdOf("note.add", fmt.Sprint("paste", i), map[string]any{"columnId": col, "text": fmt.Sprintf("%04d %s", i, text[:len(text)-20])})
	})
	if counts["ack"] != notes {
		t.Fatalf("paste: %v, want %d acks", counts, notes)
	}
	t.Logf("pasted %d notes of ~4 KB in %v", notes, time.Since(start))

	check := func(name string, next func() map[string]any) {
		for i := 0; i < notes; i++ {
			var ev map[string]any
			for ev == nil {
				f := next()
				if f["type"] == "event" {
					ev = f
				}
			}
			if got := num(ev["seq"]); got != seq0+int64(i)+1 || ev["event"] != "note.added" {
				t.Fatalf("%s: event %d is %v seq %d, want note.added seq %d", name, i, ev["event"], got, seq0+int64(i)+1)
			}
		}
	}
	for i, c := range readers {
		check(fmt.Sprint("ws reader ", i), c.next)
	}
	check("sse reader", sse.next)

	// The others see the stalled clients go offline.
	deadline := time.Now().Add(30 * time.Second)
	offline := map[string]bool{}
	for len(offline) < 2 {
		if time.Now().After(deadline) {
			buf := make([]byte, 4<<20)
			buf = buf[:runtime.Stack(buf, true)]
			var ws []string
			for _, g := range strings.Split(string(buf), "\n\n") {
				if strings.Contains(g, "socketWriter") || strings.Contains(g, "serveSocket") {
					ws = append(ws, g)
				}
			}
			t.Fatalf("stalled clients cut off within 30 s of the paste: %v; socket goroutines:\n%s", offline, strings.Join(ws, "\n\n"))
		}
		select {
		case f := <-readers[0].frames:
			var m map[string]any
			json.Unmarshal(f, &m)
			if m["type"] == "presence" {
				for _, p := range m["participants"].([]any) {
					pm := p.(map[string]any)
					if id := pm["id"].(string); (id == stalledP.ParticipantID || id == stalledSSE.ParticipantID) && pm["online"] == false && !offline[id] {
						offline[id] = true
						t.Logf("stalled %s cut off %v after the paste began", pm["name"], time.Since(start).Round(time.Millisecond))
					}
				}
			}
		case <-time.After(time.Second):
		}
	}

	// It wakes up: what reached it before the cut ends in an error, and it
	// resumes with since and gets the rest, without a gap.
	last := seq0
	stalled.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, f, err := stalled.ReadMessage()
		if err != nil {
			break
		}
		var m map[string]any
		json.Unmarshal(f, &m)
		if m["type"] == "event" {
			if got := num(m["seq"]); got != last+1 {
				t.Fatalf("stalled client: seq %d after %d", got, last)
			}
			last++
		}
	}
	if last >= seq0+notes {
		t.Fatalf("the stalled client got all %d events: it was never stalled", notes)
	}
	c, w := ts.connect(s.ID, stalledP.Token, &last)
	if evs, ok := w["events"].([]any); ok {
		for _, e := range evs {
			if got := num(e.(map[string]any)["seq"]); got != last+1 {
				t.Fatalf("resume: seq %d after %d", got, last)
			}
			last++
		}
	} else {
		last = num(w["board"].(map[string]any)["seq"])
		if n := len(w["board"].(map[string]any)["notes"].([]any)); n != notes {
			t.Fatalf("resume board has %d notes, want %d", n, notes)
		}
	}
	if last != seq0+notes {
		t.Fatalf("resumed up to seq %d, want %d", last, seq0+notes)
	}
	_ = c
	// And the server still shuts down promptly.
	stalled.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.Srv.Shutdown(ctx); err != nil {
		buf := make([]byte, 8<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("shutdown after the paste: %v\n%s", err, buf)
	}
}

// Per-session caps give a clear error: participants, notes, groups,
// columns, actions, links.
func TestAbuseSessionCaps(t *testing.T) {
	ts := startServer(t, "", noCommandLimit)
	s, _, _ := ts.setup("masalah-inovasi")
	fac := s.FacilitatorToken
	var bd map[string]any
	ts.do("GET", "/api/sessions/"+s.ID+"/board", fac, nil, &bd)
	cols := bd["columns"].([]any)
	problem := cols[0].(map[string]any)["id"].(string)
	innovation := cols[2].(map[string]any)["id"].(string)

	expectCap := func(what string, cmd map[string]any) {
		t.Helper()
		st, out := ts.post(s.ID, fac, cmd)
		msg, _ := out["message"].(string)
		if st != 409 || out["code"] != "conflict" || msg == "" {
			t.Fatalf("%s over the cap: %d %v, want 409 conflict with a message", what, st, out)
		}
		t.Logf("%s cap: %q", what, msg)
	}

	// Participants: the facilitator and MaxParticipants-1 others.
	var wg sync.WaitGroup
	var joinFails atomic.Int64
	sem := make(chan struct{}, 8)
	for i := 1; i < board.MaxParticipants; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			body, _ := json.Marshal(map[string]any{"code": s.JoinCode, "name": fmt.Sprint("Peserta ", i)})
			resp, err := parallelClient.Post(ts.URL+"/api/join", "application/json", bytes.NewReader(body))
			if err != nil || resp.StatusCode != 201 {
				joinFails.Add(1)
			}
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}(i)
	}
	wg.Wait()
	if joinFails.Load() != 0 {
		t.Fatalf("%d joins failed below the cap", joinFails.Load())
	}
	var out map[string]any
	st := ts.do("POST", "/api/join", "", map[string]any{"code": s.JoinCode, "name": "Satu Lagi"}, &out)
	if e, _ := out["error"].(map[string]any); st != 409 || e["code"] != "conflict" {
		t.Fatalf("join over the cap: %d %v, want 409 conflict", st, out)
	}

	// Columns: the template's 3, then up to MaxColumns.
	c := ts.postMany(s.ID, fac, board.MaxColumns-3, 4, func(i int) map[string]any {
		return cmdOf("column.add", fmt.Sprint("col", i), map[string]any{"title": fmt.Sprint("Kolom ", i)})
	})
	if c["ack"] != board.MaxColumns-3 {
		t.Fatalf("columns below the cap: %v", c)
	}
	expectCap("columns", cmdOf("column.add", "colX", map[string]any{"title": "Satu lagi"}))

	// Notes.
	start := time.Now()
	c = ts.postMany(s.ID, fac, board.MaxNotes, 16, func(i int) map[string]any {
		col := problem
		if i < 50 {
			col = innovation
		}
		return cmdOf("note.add", fmt.Sprint("n", i), map[string]any{"columnId": col, "text": fmt.Sprint("catatan ", i)})
	})
	if c["ack"] != board.MaxNotes {
		t.Fatalf("notes below the cap: %v", c)
	}
	t.Logf("%d notes over HTTP in %v", board.MaxNotes, time.Since(start).Round(time.Millisecond))
	expectCap("notes", cmdOf("note.add", "nX", map[string]any{"columnId": problem, "text": "satu lagi"}))

	// Groups.
	c = ts.postMany(s.ID, fac, board.MaxGroups, 8, func(i int) map[string]any {
		return cmdOf("group.add", fmt.Sprint("g", i), map[string]any{"columnId": problem, "title": fmt.Sprint("Kelompok ", i), "noteIds": []string{}})
	})
	if c["ack"] != board.MaxGroups {
		t.Fatalf("groups below the cap: %v", c)
	}
	expectCap("groups", cmdOf("group.add", "gX", map[string]any{"columnId": problem, "title": "satu lagi", "noteIds": []string{}}))

	// Actions.
	c = ts.postMany(s.ID, fac, board.MaxActions, 8, func(i int) map[string]any {
		return cmdOf("action.add", fmt.Sprint("a", i), map[string]any{"text": fmt.Sprint("Tindak ", i), "owner": "Bagian Umum", "due": "2026-12-31"})
	})
	if c["ack"] != board.MaxActions {
		t.Fatalf("actions below the cap: %v", c)
	}
	expectCap("actions", cmdOf("action.add", "aX", map[string]any{"text": "satu lagi", "owner": "X", "due": "2026-12-31"}))

	// Links: from the 50 innovation notes to problem notes.
	ts.do("GET", "/api/sessions/"+s.ID+"/board", fac, nil, &bd)
	var inno, prob []string
	for _, n := range bd["notes"].([]any) {
		nm := n.(map[string]any)
		if nm["columnId"] == innovation {
			inno = append(inno, nm["id"].(string))
		} else if len(prob) < 100 {
			prob = append(prob, nm["id"].(string))
		}
	}
	c = ts.postMany(s.ID, fac, board.MaxLinks, 8, func(i int) map[string]any {
		return cmdOf("link.add", fmt.Sprint("l", i), map[string]any{"fromId": inno[i%len(inno)], "toId": prob[i/len(inno)]})
	})
	if c["ack"] != board.MaxLinks {
		t.Fatalf("links below the cap: %v", c)
	}
	expectCap("links", cmdOf("link.add", "lX", map[string]any{"fromId": inno[0], "toId": prob[len(prob)-1]}))
}

// More than 10 failed joins from one address in a minute: 429, even for a
// right code; a minute later it works again. X-Forwarded-For counts only
// from a trusted proxy.
func TestAbuseFailedJoins(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC).UnixNano())
	clock := func(c *server.Config) { c.Clock = func() time.Time { return time.Unix(0, now.Load()) } }
	joinAs := func(ts *testServer, xff, code string) int {
		hdr := map[string]string{"Content-Type": "application/json"}
		if xff != "" {
			hdr["X-Forwarded-For"] = xff
		}
		resp, body := ts.raw("POST", "/api/join", hdr, fmt.Sprintf(`{"code":%q,"name":"Tamu"}`, code))
		if resp.StatusCode == 429 && !strings.Contains(string(body), `"rate_limited"`) {
			t.Fatalf("429 body %s, want code rate_limited", body)
		}
		return resp.StatusCode
	}

	t.Run("direct", func(t *testing.T) {
		ts := startServer(t, "", clock)
		s := ts.create("kosong")
		for i := 0; i < 10; i++ {
			if st := joinAs(ts, "", "ZZZZZZ"); st != 404 {
				t.Fatalf("failed join %d: %d, want 404", i+1, st)
			}
		}
		if st := joinAs(ts, "", "ZZZZZZ"); st != 429 {
			t.Fatalf("11th failed join: %d, want 429", st)
		}
		if st := joinAs(ts, "", s.JoinCode); st != 429 {
			t.Fatalf("right code while blocked: %d, want 429", st)
		}
		// Without trusted proxies, X-Forwarded-For is not believed.
		if st := joinAs(ts, "203.0.113.7", s.JoinCode); st != 429 {
			t.Fatalf("spoofed X-Forwarded-For: %d, want 429", st)
		}
		now.Add(int64(61 * time.Second))
		if st := joinAs(ts, "", s.JoinCode); st != 201 {
			t.Fatalf("a minute later: %d, want 201", st)
		}
		// A wrong passcode counts as a failure too.
		var sp created
		if st := ts.do("POST", "/api/sessions", "", map[string]any{"title": "Rahasia", "template": "kosong", "facilitatorName": "F", "passcode": "kunci"}, &sp); st != 201 {
			t.Fatalf("create with passcode: %d", st)
		}
		wrong := func() int {
			resp, _ := ts.raw("POST", "/api/join", map[string]string{"Content-Type": "application/json"},
				fmt.Sprintf(`{"code":%q,"name":"Tamu","passcode":"salah"}`, sp.JoinCode))
			return resp.StatusCode
		}
		for i := 0; i < 10; i++ {
			if st := wrong(); st != 403 {
				t.Fatalf("wrong passcode %d: %d, want 403", i+1, st)
			}
		}
		if st := wrong(); st != 429 {
			t.Fatalf("11th wrong passcode: %d, want 429", st)
		}
	})

	t.Run("behind a trusted proxy", func(t *testing.T) {
		ts := startServer(t, "", clock, func(c *server.Config) { c.TrustedProxies = []string{"127.0.0.1"} })
		s := ts.create("kosong")
		for i := 0; i < 10; i++ {
			joinAs(ts, "198.51.100.1", "ZZZZZZ")
		}
		if st := joinAs(ts, "198.51.100.1", "ZZZZZZ"); st != 429 {
			t.Fatalf("11th failed join of one client: %d, want 429", st)
		}
		if st := joinAs(ts, "198.51.100.2", s.JoinCode); st != 201 {
			t.Fatalf("another client behind the proxy: %d, want 201", st)
		}
		// A proxy that appends (nginx's $proxy_add_x_forwarded_for) passes
		// on what the client wrote: only the last entry counts.
		for i := 0; i < 10; i++ {
			joinAs(ts, fmt.Sprintf("10.9.8.%d, 198.51.100.3", i), "ZZZZZZ")
		}
		if st := joinAs(ts, "10.9.8.200, 198.51.100.3", s.JoinCode); st != 429 {
			t.Fatalf("a client varying its own X-Forwarded-For entry: %d, want 429", st)
		}
	})
}

// Connections that never send a request (a browser's preconnect, an HTTP
// client's spare) do not hold up shutdown: fasthttp alone would wait 5 s
// for each before counting it idle. One stuck half-way through a request
// is closed after a grace instead of the 30 s read timeout.
func TestAbuseShutdownWithSilentConnections(t *testing.T) {
	for _, c := range []struct {
		name   string
		half   bool
		within time.Duration
	}{{"silent", false, time.Second}, {"half a request", true, 4 * time.Second}} {
		t.Run(c.name, func(t *testing.T) {
			ts := startServer(t, "")
			s := ts.create("kosong")
			ws, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
			addr := strings.TrimPrefix(ts.URL, "http://")
			for i := 0; i < 5; i++ {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				if c.half && i == 0 {
					conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n"))
				}
			}
			time.Sleep(100 * time.Millisecond)
			start := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := ts.Srv.Shutdown(ctx); err != nil {
				t.Fatalf("shutdown: %v after %v", err, time.Since(start))
			}
			if d := time.Since(start); d > c.within {
				t.Fatalf("shutdown took %v, want under %v", d, c.within)
			}
			if code := ws.waitClose(); code != 1001 {
				t.Fatalf("websocket closed with %d, want 1001", code)
			}
			t.Logf("shutdown took %v", time.Since(start).Round(time.Millisecond))
		})
	}
}
