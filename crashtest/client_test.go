package crashtest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
)

// ack is what the server answered for a ref.
type ack struct {
	ID  string
	Seq int64
}

// loadClient is one participant adding notes with unique refs over a
// WebSocket, reconnecting to whatever server is current, and resending
// every ref whose outcome it does not know (sent, no answer before the
// connection died) with the same text: the server must then ack it once.
type loadClient struct {
	n    int
	p    participant
	url  *atomic.Pointer[string] // the current server's base URL
	rate float64                 // new notes per second
	max  int                     // stop adding new notes after this many

	mu       sync.Mutex
	acked    map[string]ack
	pending  map[string]bool // sent, outcome unknown (or refused: retry)
	sent     int             // refs created so far
	problems []string        // idempotency mismatches and the like
	conns    int

	connected atomic.Bool // a connection's reader is running
}

func (c *loadClient) ref(i int) string { return fmt.Sprintf("c%02d-%05d", c.n, i) }

// noteText holds the ref so the board can be checked against the acks.
func noteText(ref string) string { return "crash " + ref + " antrian loket pelayanan" }

// refOf extracts the ref from a note's text.
func refOf(text string) string {
	f := strings.Fields(text)
	if len(f) < 2 || f[0] != "crash" {
		return ""
	}
	return f[1]
}

func (c *loadClient) problem(format string, args ...any) {
	c.mu.Lock()
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
	c.mu.Unlock()
}

// run connects, sends and reconnects until stop closes.
func (c *loadClient) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		c.session(stop)
		time.Sleep(time.Duration(10+rand.IntN(30)) * time.Millisecond)
	}
}

// session is one connection's life.
func (c *loadClient) session(stop <-chan struct{}) {
	base := *c.url.Load()
	d := websocket.Dialer{HandshakeTimeout: 2 * time.Second}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws/sessions/"+c.p.Session, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	if ws.WriteJSON(map[string]any{"type": "hello", "token": c.p.Token}) != nil {
		return
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var wel struct{ Type string }
	if ws.ReadJSON(&wel) != nil || wel.Type != "welcome" {
		return
	}
	ws.SetReadDeadline(time.Time{})
	c.mu.Lock()
	c.conns++
	c.mu.Unlock()
	c.connected.Store(true)

	var wmu sync.Mutex
	send := func(ref string) bool {
		wmu.Lock()
		defer wmu.Unlock()
		ws.SetWriteDeadline(time.Now().Add(2 * time.Second))
		return ws.WriteJSON(map[string]any{"type": "note.add", "ref": ref, "columnId": c.p.Column, "text": noteText(ref)}) == nil
	}
	outstanding := make(chan struct{}, 4) // at most 4 commands in flight
	probe := ""                           // an acked ref resent to check idempotency
	var probeAck ack
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		defer c.connected.Store(false)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			var f struct {
				Type, Ref, ID, Code string
				Seq                 int64
			}
			if json.Unmarshal(data, &f) != nil || f.Ref == "" {
				continue
			}
			switch f.Type {
			case "ack":
				c.mu.Lock()
				if f.Ref == probe {
					if f.ID != probeAck.ID || f.Seq != probeAck.Seq {
						c.problems = append(c.problems, fmt.Sprintf("ref %s acked again as %s/%d, first %s/%d", f.Ref, f.ID, f.Seq, probeAck.ID, probeAck.Seq))
					}
				} else if prev, ok := c.acked[f.Ref]; ok && (prev.ID != f.ID || prev.Seq != f.Seq) {
					c.problems = append(c.problems, fmt.Sprintf("ref %s acked as %s/%d and as %s/%d", f.Ref, prev.ID, prev.Seq, f.ID, f.Seq))
				} else {
					c.acked[f.Ref] = ack{f.ID, f.Seq}
					delete(c.pending, f.Ref)
				}
				c.mu.Unlock()
			case "error":
				// Nothing changed for this ref; it stays pending and is
				// sent again on a later connection.
				if f.Code != "rate_limited" && f.Code != "unavailable" {
					c.problem("ref %s refused: %s", f.Ref, data)
				}
			}
			select {
			case <-outstanding:
			default:
			}
		}
	}()

	// First the refs of unknown outcome, then an idempotency probe, then
	// new notes at the client's rate.
	c.mu.Lock()
	var retry []string
	for r := range c.pending {
		retry = append(retry, r)
	}
	for r, a := range c.acked {
		probe, probeAck = r, a
		break
	}
	c.mu.Unlock()
	if probe != "" {
		retry = append(retry, probe)
	}
	tick := time.NewTicker(time.Duration(float64(time.Second) / c.rate))
	defer tick.Stop()
	for _, r := range retry {
		select {
		case outstanding <- struct{}{}:
		case <-readerDone:
			return
		case <-stop:
			return
		}
		<-tick.C
		if !send(r) {
			return
		}
	}
	for {
		select {
		case <-readerDone:
			return
		case <-stop:
			return
		case <-tick.C:
		}
		c.mu.Lock()
		if c.sent >= c.max {
			c.mu.Unlock()
			continue
		}
		r := c.ref(c.sent)
		c.sent++
		c.pending[r] = true
		c.mu.Unlock()
		select {
		case outstanding <- struct{}{}:
		case <-readerDone:
			return
		case <-stop:
			return
		}
		if !send(r) {
			return
		}
	}
}

// snapshot copies the acked refs and the pending ones.
func (c *loadClient) snapshot() (map[string]ack, map[string]bool, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := make(map[string]ack, len(c.acked))
	for k, v := range c.acked {
		a[k] = v
	}
	p := make(map[string]bool, len(c.pending))
	for k := range c.pending {
		p[k] = true
	}
	return a, p, append([]string(nil), c.problems...)
}
