package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
)

// clock is the invocation's time base: every timestamp the generator writes
// into a note or a ref is nanoseconds since t0 on the monotonic clock, and
// senders and receivers live in this one process.
type clock struct{ t0 time.Time }

func (c *clock) now() int64 { return int64(time.Since(c.t0)) }

// window is the measurement window: only notes sent inside it count.
type window struct{ from, to atomic.Int64 }

func (w *window) open(now int64) { w.from.Store(now); w.to.Store(1<<62 - 1) }
func (w *window) shut(now int64) { w.to.Store(now) }
func (w *window) in(t int64) bool {
	return t >= w.from.Load() && t < w.to.Load()
}

func newWindow() *window {
	w := &window{}
	w.from.Store(1<<62 - 1) // closed until opened
	return w
}

// seqRecv is one event as a receiver saw it (mixed workload).
type seqRecv struct {
	seq int64
	at  int64
}

// conn is one participant's live WebSocket connection.
type conn struct {
	ws     *websocket.Conn
	sess   *session
	pid    string
	column string
	local  bool // on the session's owner in a split two-node run (its group's figures apart)
	clk    *clock
	win    *window
	wmu    sync.Mutex
	refN   atomic.Int64

	// The reader appends under mu; the workloads read and reset under it.
	mu     sync.Mutex
	lat    samples // fan-out of in-window note events
	ackLat samples // ack latency of this sender's in-window commands
	seqs   []seqRecv
	nseq   atomic.Int64

	got      atomic.Int64 // in-window note events received
	errs     atomic.Int64
	lastErr  atomic.Value // string
	noteID   atomic.Value // string: id of the first note this sender created
	last     atomic.Int64 // when the last frame arrived
	started  bool
	done     chan struct{}
	closeErr error
}

var (
	evPrefix    = []byte(`{"type":"event","seq":`)
	ackPrefix   = []byte(`{"type":"ack","ref":"`)
	errPrefix   = []byte(`{"type":"error"`)
	eventKey    = []byte(`"event":"`)
	idKey       = []byte(`"id":"`)
	seqKey      = []byte(`"seq":`)
	markerStart = []byte("#T")
)

var dialer = websocket.Dialer{HandshakeTimeout: 15 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 4096}

// dial connects, says hello and waits for the welcome, whose first column
// the participant will write into. It does not start reading.
func dial(base string, s *session, pid, token string, clk *clock, win *window) (*conn, error) {
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/ws/sessions/" + s.id
	ws, _, err := dialer.Dial(wsURL, http.Header{})
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	hello, _ := json.Marshal(map[string]string{"type": "hello", "token": token})
	ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := ws.WriteMessage(websocket.TextMessage, hello); err != nil {
		ws.Close()
		return nil, err
	}
	ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		ws.Close()
		return nil, fmt.Errorf("welcome: %w", err)
	}
	ws.SetReadDeadline(time.Time{})
	var w struct {
		Type  string `json:"type"`
		Board struct {
			Columns []struct {
				ID string `json:"id"`
			} `json:"columns"`
		} `json:"board"`
	}
	if err := json.Unmarshal(data, &w); err != nil || w.Type != "welcome" || len(w.Board.Columns) == 0 {
		ws.Close()
		return nil, fmt.Errorf("expected a welcome with columns, got %.200s", data)
	}
	return &conn{ws: ws, sess: s, pid: pid, column: w.Board.Columns[0].ID, clk: clk, win: win,
		done: make(chan struct{})}, nil
}

// start runs the reader.
func (c *conn) start() { c.started = true; go c.readLoop() }

func (c *conn) readLoop() {
	defer close(c.done)
	var buf bytes.Buffer
	for {
		_, r, err := c.ws.NextReader()
		if err != nil {
			c.closeErr = err
			return
		}
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			c.closeErr = err
			return
		}
		now := c.clk.now()
		c.last.Store(now)
		c.handle(buf.Bytes(), now)
	}
}

// handle classifies one server frame by its leading bytes; both servers
// encode the type first, so no frame is decoded in full.
func (c *conn) handle(f []byte, now int64) {
	switch {
	case bytes.HasPrefix(f, evPrefix):
		seq, _ := leadingInt(f[len(evPrefix):])
		if c.sess.log != nil {
			c.mu.Lock()
			c.seqs = append(c.seqs, seqRecv{seq, now})
			c.mu.Unlock()
			c.nseq.Add(1)
		}
		name := stringAfter(f, eventKey)
		if name != "note.added" && name != "note.updated" {
			return
		}
		if t, ok := marker(f); ok && c.win.in(t) {
			c.mu.Lock()
			c.lat = append(c.lat, us(now-t))
			c.mu.Unlock()
			c.got.Add(1)
		}
	case bytes.HasPrefix(f, ackPrefix):
		ref := stringAfter(f, []byte(`"ref":"`))
		cat, sent, ok := parseRef(ref)
		if !ok {
			return
		}
		if c.win.in(sent) {
			c.mu.Lock()
			c.ackLat = append(c.ackLat, us(now-sent))
			c.mu.Unlock()
		}
		id := stringAfter(f, idKey)
		if id != "" && c.noteID.Load() == nil {
			c.noteID.Store(id)
		}
		if c.sess.log != nil {
			seq, _ := leadingInt(f[bytes.Index(f, seqKey)+len(seqKey):])
			c.sess.log.acked(cat, sent, seq, id)
		}
	case bytes.HasPrefix(f, errPrefix):
		c.errs.Add(1)
		c.lastErr.Store(string(f))
	}
}

// leadingInt parses the decimal digits at the start of b.
func leadingInt(b []byte) (int64, bool) {
	var n int64
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	return n, i > 0
}

// stringAfter returns the JSON string value (without escapes) after key.
func stringAfter(f, key []byte) string {
	i := bytes.Index(f, key)
	if i < 0 {
		return ""
	}
	rest := f[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// marker finds the send time a sender wrote into a note's text: "#T<ns>#".
func marker(f []byte) (int64, bool) {
	i := bytes.Index(f, markerStart)
	if i < 0 {
		return 0, false
	}
	return leadingInt(f[i+len(markerStart):])
}

// makeRef encodes a category and the send time in a ref that is unique per
// participant: "<cat><n>.<ns>".
func (c *conn) makeRef(cat byte, sent int64) string {
	return string(cat) + strconv.FormatInt(c.refN.Add(1), 10) + "." + strconv.FormatInt(sent, 10)
}

func parseRef(ref string) (cat byte, sent int64, ok bool) {
	dot := strings.IndexByte(ref, '.')
	if len(ref) < 3 || dot < 0 {
		return 0, 0, false
	}
	sent, err := strconv.ParseInt(ref[dot+1:], 10, 64)
	return ref[0], sent, err == nil
}

// padding fills note texts to a chosen length.
var padding = strings.Repeat("lorem ipsum dolor sit amet ", 40)

// noteFrame builds a note.add (id == "") or note.update command carrying
// the send time in its text and its ref.
func (c *conn) noteFrame(sent int64, textLen int, id string) []byte {
	ref := c.makeRef('n', sent)
	text := "#T" + strconv.FormatInt(sent, 10) + "# "
	if n := textLen - len(text); n > 0 {
		text += padding[:min(n, len(padding))]
	}
	b := make([]byte, 0, 128+len(text))
	if id == "" {
		b = append(b, `{"type":"note.add","ref":"`...)
		b = append(b, ref...)
		b = append(b, `","columnId":"`...)
		b = append(b, c.column...)
	} else {
		b = append(b, `{"type":"note.update","ref":"`...)
		b = append(b, ref...)
		b = append(b, `","id":"`...)
		b = append(b, id...)
	}
	b = append(b, `","text":"`...)
	b = append(b, text...)
	return append(b, `"}`...)
}

// send writes one frame (senders may share a connection with the mixed
// workload's scripted steps, hence the lock).
func (c *conn) send(frame []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, frame)
}

// command sends a JSON command with a fresh ref of category cat.
func (c *conn) command(cat byte, fields map[string]any) error {
	fields["ref"] = c.makeRef(cat, c.clk.now())
	b, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	return c.send(b)
}

// closeNow closes the socket and waits for the reader.
func (c *conn) closeNow() {
	c.wmu.Lock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""), time.Now().Add(time.Second))
	c.wmu.Unlock()
	c.ws.Close()
	if c.started {
		<-c.done
	}
}

// disconnected reports whether the server closed this connection while it
// was expected to stay (anything but our own close).
func (c *conn) disconnected() bool {
	select {
	case <-c.done:
		var ce *websocket.CloseError
		return !(errors.As(c.closeErr, &ce) && ce.Code == 1000)
	default:
		return false
	}
}

// takeSamples returns the fan-out and ack samples gathered so far and
// starts new ones.
func (c *conn) takeSamples() (lat, ack samples) {
	c.mu.Lock()
	defer c.mu.Unlock()
	lat, ack = c.lat, c.ackLat
	c.lat, c.ackLat = nil, nil
	return lat, ack
}

// seqsSeen returns a copy of the events seen (mixed workload).
func (c *conn) seqsSeen() []seqRecv {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]seqRecv(nil), c.seqs...)
}
