package server_test

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// rawWS is a WebSocket client on a bare TCP connection: it does the
// handshake and sends frames, and reads nothing unless told to, so the
// server's writes to it pile up.
type rawWS struct {
	conn net.Conn
	br   *bufio.Reader
}

func rawDial(t *testing.T, ts *testServer, sessionID string) *rawWS {
	t.Helper()
	addr := strings.TrimPrefix(ts.URL, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET /ws/sessions/%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", sessionID, addr)
	r := &rawWS{conn: conn, br: bufio.NewReaderSize(conn, 16)}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	status, err := r.br.ReadString('\n')
	if err != nil || !strings.Contains(status, " 101 ") {
		t.Fatalf("handshake: %q, %v", status, err)
	}
	for {
		line, err := r.br.ReadString('\n')
		if err != nil {
			t.Fatalf("handshake headers: %v", err)
		}
		if line == "\r\n" {
			break
		}
	}
	conn.SetReadDeadline(time.Time{})
	return r
}

// sendText writes one masked text frame, as a client must.
func (r *rawWS) sendText(t *testing.T, payload []byte) {
	t.Helper()
	hdr := []byte{0x81}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n < 1<<16:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	key := [4]byte{0x12, 0x34, 0x56, 0x78}
	hdr = append(hdr, key[:]...)
	masked := make([]byte, len(payload))
	for i, b := range payload {
		masked[i] = b ^ key[i%4]
	}
	if _, err := r.conn.Write(append(hdr, masked...)); err != nil {
		t.Fatalf("raw send: %v", err)
	}
}

// drainUntilClosed reads and discards until the server has closed the
// connection; it fails if the connection is still open after d.
func (r *rawWS) drainUntilClosed(t *testing.T, d time.Duration) int64 {
	t.Helper()
	r.conn.SetReadDeadline(time.Now().Add(d))
	n, err := io.Copy(io.Discard, r.br)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the stalled connection is still open %v after the burst (%d bytes drained)", d, n)
	}
	return n
}

// sender is one connection that sends a burst of commands and waits for
// their acks, off the test goroutine.
type sender struct {
	c    *websocket.Conn
	name string
}

func dialSender(t *testing.T, ts *testServer, sessionID, token, name string) *sender {
	t.Helper()
	u := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/sessions/" + sessionID
	c, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.WriteJSON(map[string]any{"type": "hello", "token": token}); err != nil {
		t.Fatal(err)
	}
	for {
		var f struct{ Type string }
		if err := c.ReadJSON(&f); err != nil {
			t.Fatalf("%s: waiting for welcome: %v", name, err)
		}
		if f.Type == "welcome" {
			return &sender{c: c, name: name}
		}
	}
}

// burst sends the commands at once and waits for as many acks.
func (s *sender) burst(cmds []map[string]any) error {
	for _, m := range cmds {
		if err := s.c.WriteJSON(m); err != nil {
			return fmt.Errorf("%s: send: %w", s.name, err)
		}
	}
	s.c.SetReadDeadline(time.Now().Add(30 * time.Second))
	for acks := 0; acks < len(cmds); {
		_, data, err := s.c.ReadMessage()
		if err != nil {
			return fmt.Errorf("%s: after %d acks: %w", s.name, acks, err)
		}
		var f struct{ Type, Code string }
		json.Unmarshal(data, &f)
		switch f.Type {
		case "ack":
			acks++
		case "error":
			return fmt.Errorf("%s: error %s", s.name, data)
		}
	}
	return s.c.Close()
}

// A client that says hello and then never reads does not hold up the
// others: while 2,000 notes arrive from 50 connections at once, and then a
// few frames that each carry the whole board, the healthy clients get every
// event, and the stalled one is cut off (its participant goes offline and
// its connection closes).
func TestSlowClientDoesNotDelayOthers(t *testing.T) {
	// Five connections per person each send a full burst: the per-person
	// rate limit would refuse most; here only the fan-out is measured.
	ts := startServer(t, "", noCommandLimit)
	s := ts.create("kosong")
	fac, w := ts.connect(s.ID, s.FacilitatorToken, nil)
	col := columnIDs(w)[0]
	start := num(w["board"].(map[string]any)["seq"])
	a := ts.join(s.JoinCode, "Sehat")
	healthy, _ := ts.connect(s.ID, a.Token, nil)
	slow := ts.join(s.JoinCode, "Lambat")
	raw := rawDial(t, ts, s.ID)
	raw.sendText(t, mustJSON(map[string]any{"type": "hello", "token": slow.Token}))
	waitPresence(t, fac, slow.ParticipantID, true)

	// 10 participants x 5 connections x 40 commands (the burst a
	// connection may send at once) = 2,000 notes.
	const people, conns, per = 10, 5, 40
	var senders []*sender
	for p := 0; p < people; p++ {
		j := ts.join(s.JoinCode, fmt.Sprint("Pengirim ", p))
		for c := 0; c < conns; c++ {
			senders = append(senders, dialSender(t, ts, s.ID, j.Token, fmt.Sprintf("sender %d/%d", p, c)))
		}
	}
	joins := int64(2 + people)
	text := strings.Repeat("Antrian layanan terlalu panjang di loket. ", 5)
	began := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, len(senders))
	for i, snd := range senders {
		cmds := make([]map[string]any, per)
		for k := range cmds {
			cmds[k] = map[string]any{"type": "note.add", "ref": fmt.Sprintf("s%d-%d", i, k), "columnId": col,
				"text": fmt.Sprintf("%s%d/%d", text, i, k)}
		}
		wg.Add(1)
		go func(snd *sender) { defer wg.Done(); errs <- snd.burst(cmds) }(snd)
	}
	const total = people * conns * per
	last := start + joins + total
	// The healthy clients get every note, in order, promptly.
	for _, c := range []*wsClient{fac, healthy} {
		syncTo(c, last)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(began); d > 30*time.Second {
		t.Fatalf("the healthy clients took %v for %d notes", d, total)
	}
	checkSeq(t, "facilitator", fac, start+1, last)
	checkSeq(t, "healthy participant", healthy, start+2, last)

	// Frames that each carry every note (~0.8 MB): the stalled client's
	// queue passes its byte limit, the healthy ones read on.
	const toggles = 24
	for i := 0; i < toggles; i++ {
		a := fac.ack("settings.update", fmt.Sprint("anon", i), map[string]any{"anonymous": i%2 == 0})
		last = num(a["seq"])
	}
	waitPresence(t, healthy, slow.ParticipantID, false)
	checkSeq(t, "facilitator", fac, start+1, last)
	checkSeq(t, "healthy participant", healthy, start+2, last)
	if d := time.Since(began); d > 60*time.Second {
		t.Fatalf("the healthy clients took %v in all", d)
	}
	n := raw.drainUntilClosed(t, 20*time.Second)
	if n >= toggles*int64(total)*300 {
		t.Fatalf("the stalled client got %d bytes: everything, so it was never cut off", n)
	}
	// The healthy ones are still served.
	fac.ack("timer.start", "after", map[string]any{"seconds": 30})
	syncTo(healthy, last+1)
}

// Shutdown does not wait on a client that never answers: a connection that
// said hello and then went silent (a phone that left the network) is closed
// with the others, and Shutdown returns within its 5 s.
func TestShutdownWithSilentClient(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	fac, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
	p := ts.join(s.JoinCode, "Diam")
	raw := rawDial(t, ts, s.ID)
	raw.sendText(t, mustJSON(map[string]any{"type": "hello", "token": p.Token}))
	waitPresence(t, fac, p.ParticipantID, true)
	began := time.Now()
	ts.Stop() // fails the test if Shutdown returns an error
	if d := time.Since(began); d > 5*time.Second {
		t.Fatalf("shutdown took %v, want under 5 s", d)
	}
	if code := fac.waitClose(); code != 1001 {
		t.Fatalf("facilitator close code %d, want 1001", code)
	}
	raw.drainUntilClosed(t, time.Second)
}

// A removed participant whose device does not answer is still cut off at
// once, not when its read deadline runs out.
func TestRemovedSilentClientIsClosed(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	fac, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
	p := ts.join(s.JoinCode, "Diam")
	raw := rawDial(t, ts, s.ID)
	raw.sendText(t, mustJSON(map[string]any{"type": "hello", "token": p.Token}))
	waitPresence(t, fac, p.ParticipantID, true)
	fac.ack("participant.remove", "rm", map[string]any{"id": p.ParticipantID})
	// Without reading first: the server must end the connection itself.
	time.Sleep(500 * time.Millisecond)
	raw.drainUntilClosed(t, 2*time.Second)
}
