package clustertest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
)

// seat is one participant of a session.
type seat struct {
	Session, Token, Column, ID string
}

// ackRec is what the server answered for a ref, and when.
type ackRec struct {
	Seq int64
	ID  string
	At  time.Time
}

// connRec is one connection's life as the client saw it.
type connRec struct {
	URL            string
	Opened, Closed time.Time
	Code           int // close code (1006: the connection just died)
}

// client is one participant adding notes with unique refs over a
// WebSocket at a steady rate. It records every ack and every event seq it
// is given, in order across connections; when a connection ends it
// reconnects (to where pick says) with the last seq it was given, and
// sends again the refs whose outcome it never learned, with the same text.
type client struct {
	n    int
	seat seat
	pick func() string // the base URL for the next connection
	rate float64       // new notes per second

	mu       sync.Mutex
	acks     map[string]ackRec
	pending  map[string]bool // sent, outcome unknown (or refused for now)
	sent     int             // refs created so far
	paused   bool            // no new notes (the drain at the end)
	last     int64           // the last event seq given, in order
	events   int             // events given (live or replayed)
	conns    []connRec
	problems []string
	offline  map[string]time.Time // participant → when a presence frame last said offline
	online   map[string]bool      // participant → online in the last presence frame
	holdTill time.Time            // no reconnect before this
	refused  map[string]int       // hellos refused, by code (a database restart)

	connected atomic.Bool
	stopped   atomic.Bool
}

func newClient(n int, s seat, rate float64, pick func() string) *client {
	return &client{n: n, seat: s, pick: pick, rate: rate,
		acks: map[string]ackRec{}, pending: map[string]bool{},
		offline: map[string]time.Time{}, online: map[string]bool{}, refused: map[string]int{}}
}

func (c *client) ref(i int) string { return fmt.Sprintf("k%02d-%05d", c.n, i) }

// noteText holds the ref, so what is stored can be checked against the acks.
func noteText(ref string) string { return "cluster " + ref + " antrean loket pelayanan" }

func (c *client) problem(format string, args ...any) {
	c.mu.Lock()
	c.problems = append(c.problems, fmt.Sprintf("client %d: ", c.n)+fmt.Sprintf(format, args...))
	c.mu.Unlock()
}

// run connects, sends and reconnects until stop closes.
func (c *client) run(stop <-chan struct{}) {
	defer c.stopped.Store(true)
	for {
		select {
		case <-stop:
			return
		default:
		}
		c.mu.Lock()
		wait := time.Until(c.holdTill)
		c.mu.Unlock()
		if wait > 0 {
			select {
			case <-stop:
				return
			case <-time.After(min(wait, 50*time.Millisecond)):
			}
			continue
		}
		if !c.connection(stop) {
			time.Sleep(50 * time.Millisecond) // dial failed: the node is gone
		} else {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// hold keeps the client from reconnecting for d (0: no longer).
func (c *client) hold(d time.Duration) {
	c.mu.Lock()
	c.holdTill = time.Now().Add(d)
	c.mu.Unlock()
}

// frame is any server frame, decoded as far as the checks need.
type frame struct {
	Type  string
	Ref   string
	ID    string
	Code  string
	Seq   int64
	Board *struct {
		Seq          int64
		Participants []presenceOf
	}
	Events       []json.RawMessage
	Participants []presenceOf
}

type presenceOf struct {
	ID     string
	Online bool
}

// connection is one connection's life; false when it never opened.
func (c *client) connection(stop <-chan struct{}) bool {
	base := c.pick()
	d := websocket.Dialer{HandshakeTimeout: 2 * time.Second}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws/sessions/"+c.seat.Session, nil)
	if err != nil {
		return false
	}
	defer ws.Close()
	c.mu.Lock()
	hello := map[string]any{"type": "hello", "token": c.seat.Token}
	resumed := c.last > 0
	if resumed {
		hello["since"] = c.last
	}
	c.mu.Unlock()
	if ws.WriteJSON(hello) != nil {
		return false
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		return false
	}
	ws.SetReadDeadline(time.Time{})
	var wel frame
	if json.Unmarshal(data, &wel) != nil || wel.Type != "welcome" {
		// While the database restarts a hello may be refused; the
		// client tries again. Any other refusal is a defect.
		if wel.Type == "error" && (wel.Code == "unavailable" || wel.Code == "internal") {
			c.mu.Lock()
			c.refused[wel.Code]++
			c.mu.Unlock()
			time.Sleep(100 * time.Millisecond)
			return true
		}
		c.problem("first frame from %s is not a welcome: %.200s", base, data)
		return true
	}
	c.welcome(wel, resumed)
	c.mu.Lock()
	c.conns = append(c.conns, connRec{URL: base, Opened: time.Now()})
	ci := len(c.conns) - 1
	c.mu.Unlock()
	c.connected.Store(true)

	var wmu sync.Mutex
	send := func(ref string) bool {
		wmu.Lock()
		defer wmu.Unlock()
		ws.SetWriteDeadline(time.Now().Add(2 * time.Second))
		return ws.WriteJSON(map[string]any{"type": "note.add", "ref": ref, "columnId": c.seat.Column, "text": noteText(ref)}) == nil
	}
	retry := make(chan string, 64) // refs refused for now (unavailable): sent again after a pause
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				code := 1006
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					code = ce.Code
				}
				c.mu.Lock()
				c.conns[ci].Closed, c.conns[ci].Code = time.Now(), code
				c.mu.Unlock()
				c.connected.Store(false)
				return
			}
			c.frame(data, retry)
		}
	}()

	// First the refs of unknown outcome, then new notes at the rate.
	c.mu.Lock()
	var again []string
	for r := range c.pending {
		again = append(again, r)
	}
	c.mu.Unlock()
	tick := time.NewTicker(time.Duration(float64(time.Second) / c.rate))
	defer tick.Stop()
	for _, r := range again {
		select {
		case <-readerDone:
			return true
		case <-stop:
			return true
		case <-tick.C:
		}
		if !send(r) {
			return true
		}
	}
	for {
		select {
		case <-readerDone:
			return true
		case <-stop:
			return true
		case r := <-retry:
			time.Sleep(200 * time.Millisecond)
			if !send(r) {
				return true
			}
			continue
		case <-tick.C:
		}
		c.mu.Lock()
		if c.paused {
			c.mu.Unlock()
			continue
		}
		r := c.ref(c.sent)
		c.sent++
		c.pending[r] = true
		c.mu.Unlock()
		if !send(r) {
			return true
		}
	}
}

// welcome takes the first frame: a full board (a first connection) or,
// on a resume, exactly the events after the last seq.
func (c *client) welcome(w frame, resumed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w.Board != nil {
		if resumed {
			c.problems = append(c.problems, fmt.Sprintf("client %d: resumed after seq %d but got a full board at seq %d", c.n, c.last, w.Board.Seq))
		}
		if w.Board.Seq < c.last {
			c.problems = append(c.problems, fmt.Sprintf("client %d: a board at seq %d after seq %d", c.n, w.Board.Seq, c.last))
		}
		c.last = w.Board.Seq
		c.presenceLocked(w.Board.Participants, time.Now())
		return
	}
	for _, raw := range w.Events {
		var e frame
		json.Unmarshal(raw, &e)
		c.eventLocked(e.Seq, "replayed")
	}
	if w.Seq != c.last {
		c.problems = append(c.problems, fmt.Sprintf("client %d: welcome says seq %d but its events end at %d", c.n, w.Seq, c.last))
	}
}

// eventLocked checks that seq follows the last one given.
func (c *client) eventLocked(seq int64, how string) {
	c.events++
	switch {
	case seq == c.last+1:
		c.last = seq
	case seq <= c.last:
		c.problems = append(c.problems, fmt.Sprintf("client %d: %s event seq %d after seq %d (twice or out of order)", c.n, how, seq, c.last))
	default:
		c.problems = append(c.problems, fmt.Sprintf("client %d: %s event seq %d after seq %d (a gap)", c.n, how, seq, c.last))
		c.last = seq
	}
}

func (c *client) frame(data []byte, retry chan<- string) {
	var f frame
	if json.Unmarshal(data, &f) != nil {
		c.problem("a frame that is not JSON: %.200s", data)
		return
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	switch f.Type {
	case "event":
		c.eventLocked(f.Seq, "live")
	case "ack":
		if prev, ok := c.acks[f.Ref]; ok {
			if prev.Seq != f.Seq || prev.ID != f.ID {
				c.problems = append(c.problems, fmt.Sprintf("client %d: ref %s acked as %s/%d and as %s/%d", c.n, f.Ref, prev.ID, prev.Seq, f.ID, f.Seq))
			}
		} else {
			c.acks[f.Ref] = ackRec{Seq: f.Seq, ID: f.ID, At: now}
		}
		if f.Seq > c.last {
			c.problems = append(c.problems, fmt.Sprintf("client %d: ack of %s at seq %d before its event (last event %d; the protocol sends the event before the ack)", c.n, f.Ref, f.Seq, c.last))
		}
		delete(c.pending, f.Ref)
	case "error":
		if f.Ref == "" {
			return
		}
		if f.Code != "unavailable" && f.Code != "rate_limited" {
			c.problems = append(c.problems, fmt.Sprintf("client %d: ref %s refused: %.300s", c.n, f.Ref, data))
			delete(c.pending, f.Ref)
			return
		}
		select {
		case retry <- f.Ref:
		default:
		}
	case "presence":
		c.presenceLocked(f.Participants, now)
	}
}

// presenceLocked notes who is online, and when someone was first said to
// be offline.
func (c *client) presenceLocked(ps []presenceOf, now time.Time) {
	for _, p := range ps {
		if was, known := c.online[p.ID]; !p.Online && (was || !known) {
			c.offline[p.ID] = now
		}
		c.online[p.ID] = p.Online
	}
}

// stats is a copy of what the checks read.
type stats struct {
	acks     map[string]ackRec
	pending  int
	sent     int
	last     int64
	events   int
	conns    []connRec
	problems []string
	refused  map[string]int
}

func (c *client) stats() stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := stats{acks: make(map[string]ackRec, len(c.acks)), pending: len(c.pending), sent: c.sent,
		last: c.last, events: c.events, conns: append([]connRec(nil), c.conns...),
		problems: append([]string(nil), c.problems...)}
	for k, v := range c.acks {
		s.acks[k] = v
	}
	s.refused = map[string]int{}
	for k, v := range c.refused {
		s.refused[k] = v
	}
	return s
}

// offlineSince is when this client last saw participant go offline (zero
// when not since t).
func (c *client) offlineSince(participant string, t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at := c.offline[participant]; at.After(t) {
		return at
	}
	return time.Time{}
}

// pause stops new notes (refs of unknown outcome still go out).
func (c *client) pause() {
	c.mu.Lock()
	c.paused = true
	c.mu.Unlock()
}
