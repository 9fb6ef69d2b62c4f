package server_test

// Caps on live connections (issue 9, item 2): at most 8 per participant
// (the oldest is closed with 4008), and a cap per client address (2,000 by
// default; lowered here), over WebSocket and SSE alike.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"rembuk/server"
)

func TestNinthConnectionOfAParticipantClosesTheOldest(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	p := ts.join(s.JoinCode, "Ani")
	fac, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
	var ws []*wsClient
	for i := 0; i < 7; i++ {
		w, _ := ts.connect(s.ID, p.Token, nil)
		ws = append(ws, w)
	}
	sse := ts.sseOpen(s.ID, p.Token, nil, false) // the 8th, oldest after the WebSockets
	sse.expect("welcome")

	// The 9th (a WebSocket) closes the oldest WebSocket with 4008.
	ninth, _ := ts.connect(s.ID, p.Token, nil)
	if f := nextNonEvent(ws[0]); f["type"] != "error" || num(f["close"]) != 4008 {
		t.Errorf("oldest got %v, want an error frame announcing 4008", f)
	}
	if code := ws[0].waitClose(); code != 4008 {
		t.Errorf("oldest closed with %d, want 4008", code)
	}
	// The 10th and 11th close the next oldest WebSockets, the 12th... we
	// go on until the SSE stream is the oldest: it ends with the frame.
	for i := 1; i < 7; i++ {
		w, _ := ts.connect(s.ID, p.Token, nil)
		defer w.c.Close()
		if code := ws[i].waitClose(); code != 4008 {
			t.Fatalf("connection %d closed with %d, want 4008", i, code)
		}
	}
	ts.connect(s.ID, p.Token, nil)
	for {
		f := sse.next()
		if f["type"] == "error" {
			if num(f["close"]) != 4008 {
				t.Errorf("SSE: error frame %v, want close 4008", f)
			}
			break
		}
	}
	select {
	case <-sse.done:
	case <-time.After(5 * time.Second):
		t.Error("SSE stream not ended after its 4008 frame")
	}
	// The facilitator and the newest connections are untouched.
	fac.ack("timer.start", "t", map[string]any{"seconds": 30})
	if e := ninth.event(); e["event"] != "timer.changed" {
		t.Errorf("ninth: got %v", e)
	}
}

func TestConnectionsPerAddressAreCapped(t *testing.T) {
	ts := startServer(t, "", func(c *server.Config) { c.MaxConnsPerAddress = 3 })
	s := ts.create("kosong")
	a := ts.join(s.JoinCode, "Ani")
	b := ts.join(s.JoinCode, "Budi")
	w1, _ := ts.connect(s.ID, a.Token, nil)
	ts.connect(s.ID, b.Token, nil)
	sse := ts.sseOpen(s.ID, s.FacilitatorToken, nil, true)
	sse.expect("welcome")

	u := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/sessions/" + s.ID
	if c, resp, err := websocket.DefaultDialer.Dial(u, nil); err == nil {
		c.Close()
		t.Fatal("a 4th WebSocket from one address was upgraded, want 429")
	} else if resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("4th WebSocket: %v, want 429", err)
	}
	if _, st := ts.sseTry(s.ID, b.Token, nil, true); st != http.StatusTooManyRequests {
		t.Fatalf("4th SSE stream: status %d, want 429", st)
	}
	// A connection that ends frees its place.
	w1.c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, _, err := websocket.DefaultDialer.Dial(u, nil)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no place after a connection ended: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // polling for the server to notice the close
	}
}
