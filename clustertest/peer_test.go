package clustertest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// A peer is one person's connection in the protocol walk (protocol_test.go):
// a WebSocket or an SSE stream, through the balancer, keeping every frame
// it is given in the order given, and sending commands with refs of its own.

// pframe is any server frame, with the fields the walk reads.
type pframe struct {
	Type    string            `json:"type"`
	Ref     string            `json:"ref"`
	Seq     int64             `json:"seq"`
	ID      string            `json:"id"`
	Code    string            `json:"code"`
	Event   string            `json:"event"`
	Data    json.RawMessage   `json:"data"`
	ActorID *string           `json:"actorId"`
	Board   *walkBoard        `json:"board"`
	Events  []json.RawMessage `json:"events"`
	// Participants of a presence frame.
	Participants []struct {
		ID     string `json:"id"`
		Online bool   `json:"online"`
	} `json:"participants"`
}

// walkBoard is the part of a board the walk reads.
type walkBoard struct {
	Seq     int64 `json:"seq"`
	Columns []struct {
		ID, Kind string
	} `json:"columns"`
	Notes []struct {
		ID       string  `json:"id"`
		Text     *string `json:"text"`
		AuthorID *string `json:"authorId"`
		Hidden   bool    `json:"hidden"`
		GroupID  *string `json:"groupId"`
		Votes    int     `json:"votes"`
	} `json:"notes"`
	Session struct {
		Phase  string `json:"phase"`
		Closed bool   `json:"closed"`
	} `json:"session"`
	You struct {
		Role      string `json:"role"`
		VotesLeft int    `json:"votesLeft"`
	} `json:"you"`
}

type peer struct {
	t     *testing.T
	name  string
	token string
	ws    *websocket.Conn // nil for an SSE stream
	body  io.Closer       // the SSE stream's body
	node  string          // the node the balancer chose (its X-Rembuk-Node)

	since int64 // the since it asked from (0: a full welcome)

	wmu  sync.Mutex
	mu   sync.Mutex
	refs int
	got  []pframe
	// closeCode is the WebSocket's close code once it ended, -1 once an
	// SSE stream ended (0 while open).
	closeCode int
}

// dialPeer opens a WebSocket through base and says hello; it waits for
// the welcome.
func dialPeer(t *testing.T, base, session, name, token string) *peer {
	t.Helper()
	return dialPeerSince(t, base, session, name, token, 0)
}

// dialPeerSince says hello with since (0: none).
func dialPeerSince(t *testing.T, base, session, name, token string, since int64) *peer {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	ws, resp, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws/sessions/"+session, nil)
	if err != nil {
		t.Fatalf("%s: dial: %v", name, err)
	}
	p := &peer{t: t, name: name, token: token, ws: ws, node: resp.Header.Get("X-Rembuk-Node"), since: since}
	t.Cleanup(func() { ws.Close() })
	hello := map[string]any{"type": "hello", "token": token}
	if since > 0 {
		hello["since"] = since
	}
	if err := ws.WriteJSON(hello); err != nil {
		t.Fatalf("%s: hello: %v", name, err)
	}
	go p.readWS()
	p.waitWelcome()
	return p
}

func (p *peer) readWS() {
	for {
		_, data, err := p.ws.ReadMessage()
		if err != nil {
			code := 1006
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				code = ce.Code
			}
			p.mu.Lock()
			p.closeCode = code
			p.mu.Unlock()
			return
		}
		p.add(data)
	}
}

// openSSE opens GET …/events?since=since through base.
func openSSE(t *testing.T, base, session, name, token string, since int64) *peer {
	t.Helper()
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/sessions/%s/events?since=%d", base, session, since), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: events: %v", name, err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body.Close()
		t.Fatalf("%s: events: %d %s", name, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	p := &peer{t: t, name: name, token: token, body: resp.Body, since: since, node: resp.Header.Get("X-Rembuk-Node")}
	t.Cleanup(func() { resp.Body.Close() })
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 64<<20) // a board at the caps: ~22 MB a frame
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				p.add([]byte(d))
			}
		}
		if errors.Is(sc.Err(), bufio.ErrTooLong) {
			p.t.Errorf("%s: a frame over the reader's 64 MB", p.name)
		}
		p.mu.Lock()
		p.closeCode = -1 // the stream ended
		p.mu.Unlock()
	}()
	p.waitWelcome()
	return p
}

func (p *peer) add(data []byte) {
	var f pframe
	if err := json.Unmarshal(data, &f); err != nil {
		p.t.Errorf("%s: a frame that is not JSON: %.200s", p.name, data)
		return
	}
	p.mu.Lock()
	p.got = append(p.got, f)
	p.mu.Unlock()
}

func (p *peer) frames() []pframe {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]pframe(nil), p.got...)
}

func (p *peer) closed() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closeCode
}

// waitWelcome waits for the first frame and checks it is the welcome.
func (p *peer) waitWelcome() pframe {
	p.t.Helper()
	waitFor(p.t, 15*time.Second, p.name+"'s welcome", func() bool { return len(p.frames()) > 0 })
	w := p.frames()[0]
	if w.Type != "welcome" {
		p.t.Fatalf("%s: first frame %+v, want a welcome", p.name, w)
	}
	return w
}

// welcomeSeq is the seq the welcome's board stood at, or for a welcome
// of events the since they follow.
func (p *peer) welcomeSeq() int64 {
	w := p.frames()[0]
	if w.Board != nil {
		return w.Board.Seq
	}
	return p.since
}

// send writes a command with a new ref and waits for its ack or error.
func (p *peer) send(typ string, fields map[string]any) pframe {
	p.t.Helper()
	p.mu.Lock()
	p.refs++
	ref := fmt.Sprintf("%s-%d", p.name, p.refs)
	p.mu.Unlock()
	return p.sendRef(ref, typ, fields)
}

// sendRef writes a command with ref and waits for the first answer to it
// after this send.
func (p *peer) sendRef(ref, typ string, fields map[string]any) pframe {
	p.t.Helper()
	before := len(p.frames())
	msg := map[string]any{"type": typ, "ref": ref}
	for k, v := range fields {
		msg[k] = v
	}
	p.wmu.Lock()
	err := p.ws.WriteJSON(msg)
	p.wmu.Unlock()
	if err != nil {
		p.t.Fatalf("%s: send %s: %v", p.name, typ, err)
	}
	var out pframe
	waitFor(p.t, 15*time.Second, p.name+"'s answer to "+typ, func() bool {
		for _, f := range p.frames()[before:] {
			if f.Ref == ref && (f.Type == "ack" || f.Type == "error") {
				out = f
				return true
			}
		}
		return false
	})
	return out
}

// writeRaw writes a text frame as it is.
func (p *peer) writeRaw(text string) {
	p.t.Helper()
	p.wmu.Lock()
	err := p.ws.WriteMessage(websocket.TextMessage, []byte(text))
	p.wmu.Unlock()
	if err != nil {
		p.t.Fatalf("%s: write: %v", p.name, err)
	}
}

// must sends a command that must be acked; it returns the ack.
func (p *peer) must(typ string, fields map[string]any) pframe {
	p.t.Helper()
	f := p.send(typ, fields)
	if f.Type != "ack" {
		p.t.Fatalf("%s: %s %v: %+v, want an ack", p.name, typ, fields, f)
	}
	return f
}

// event is the event frame of seq this peer was given (ok false: none).
func (p *peer) event(seq int64) (pframe, bool) {
	for _, f := range p.frames() {
		if f.Type == "event" && f.Seq == seq {
			return f, true
		}
	}
	return pframe{}, false
}

// online is who the peer's last presence frame shows online (nil: none
// came yet).
func (p *peer) online() map[string]bool {
	var out map[string]bool
	for _, f := range p.frames() {
		if f.Type == "presence" {
			out = map[string]bool{}
			for _, x := range f.Participants {
				out[x.ID] = x.Online
			}
		}
	}
	return out
}

// waitSeq waits until the peer was given the event of seq.
func (p *peer) waitSeq(seq int64) {
	p.t.Helper()
	waitFor(p.t, 15*time.Second, fmt.Sprintf("event %d at %s", seq, p.name), func() bool {
		_, ok := p.event(seq)
		return ok
	})
}

// checkStream checks what the peer was given: every seq from its welcome
// on once and in order up to last (0: as far as it got), each of its acks
// after the event of the same seq.
func (p *peer) checkStream(last int64) {
	p.t.Helper()
	next := p.welcomeSeq() + 1
	at := map[int64]int{}
	for i, f := range p.frames() {
		switch f.Type {
		case "welcome":
			for _, raw := range f.Events { // a welcome from since carries the events after it
				var e pframe
				json.Unmarshal(raw, &e)
				if e.Seq != next {
					p.t.Errorf("%s: the welcome's event seq %d where %d was due", p.name, e.Seq, next)
				}
				at[e.Seq] = i
				next = e.Seq + 1
			}
			if f.Board == nil && next-1 != f.Seq {
				p.t.Errorf("%s: the welcome at seq %d carries events up to %d", p.name, f.Seq, next-1)
			}
		case "event":
			if f.Seq != next {
				p.t.Errorf("%s: event seq %d where %d was due (%s)", p.name, f.Seq, next, f.Event)
			}
			at[f.Seq] = i
			next = f.Seq + 1
		case "ack":
			if j, ok := at[f.Seq]; !ok || j > i {
				p.t.Errorf("%s: ack of %s (seq %d) before its event", p.name, f.Ref, f.Seq)
			}
		}
	}
	if last > 0 && next-1 != last {
		p.t.Errorf("%s: events up to seq %d, want up to %d", p.name, next-1, last)
	}
}
