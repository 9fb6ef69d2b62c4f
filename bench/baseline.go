package main

// The baseline: a bare in-memory broadcast hub that speaks the same frames
// as Rembuk (hello → welcome; a command → its event to every connection of
// the session, then the sender's ack) with no rules and no storage. It is
// the floor every Rembuk figure is divided by. It keeps the same connection
// discipline as Rembuk (a reader and a writer goroutine per socket, a queue
// bounded in bytes, write deadlines), since a hub without them would not
// be a server anyone could run.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/fasthttp/websocket"
)

const (
	baseQueueBytes = 8 << 20 // as Rembuk's maxQueueBytes
	baseWriteWait  = 10 * time.Second
	basePongWait   = 60 * time.Second
	basePingPeriod = 25 * time.Second
)

type bSession struct {
	id, code string
	mu       sync.Mutex
	seq      int64
	tokens   map[string]string // token -> participant id
	clients  map[*bClient]struct{}
}

type bClient struct {
	pid    string
	mu     sync.Mutex
	frames [][]byte
	bytes  int
	closed bool
	notify chan struct{}
}

func (c *bClient) push(f []byte) bool {
	c.mu.Lock()
	if c.closed || c.bytes+len(f) > baseQueueBytes {
		c.closed = true
		c.frames = nil
		c.mu.Unlock()
		c.wake()
		return false
	}
	c.frames = append(c.frames, f)
	c.bytes += len(f)
	c.mu.Unlock()
	c.wake()
	return true
}

func (c *bClient) wake() {
	select {
	case c.notify <- struct{}{}:
	default:
	}
}

type bHub struct {
	mu     sync.Mutex
	byID   map[string]*bSession
	byCode map[string]*bSession
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newUUIDish returns a 36-character id, like Rembuk's UUIDs.
func newUUIDish() string {
	h := randHex(16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// serveBaseline runs the baseline hub until killed.
func serveBaseline(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "baseline listening on http://%s\n", ln.Addr())
	return http.Serve(ln, baselineHandler())
}

// baselineHandler is the hub's HTTP and WebSocket routes.
func baselineHandler() http.Handler {
	h := &bHub{byID: map[string]*bSession{}, byCode: map[string]*bSession{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"status":"ok"}`)) })
	mux.HandleFunc("POST /api/sessions", h.create)
	mux.HandleFunc("POST /api/join", h.join)
	mux.HandleFunc("GET /ws/sessions/{id}", h.socket)
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (h *bHub) create(w http.ResponseWriter, r *http.Request) {
	s := &bSession{id: newUUIDish(), code: randHex(3), tokens: map[string]string{}, clients: map[*bClient]struct{}{}}
	tok, pid := randHex(16), newUUIDish()
	s.tokens[tok] = pid
	h.mu.Lock()
	h.byID[s.id], h.byCode[s.code] = s, s
	h.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]string{"id": s.id, "joinCode": s.code, "facilitatorToken": tok, "participantId": pid})
}

func (h *bHub) join(w http.ResponseWriter, r *http.Request) {
	var req struct{ Code string }
	json.NewDecoder(r.Body).Decode(&req)
	h.mu.Lock()
	s := h.byCode[req.Code]
	h.mu.Unlock()
	if s == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]string{"code": "not_found"}})
		return
	}
	tok, pid := randHex(16), newUUIDish()
	s.mu.Lock()
	s.tokens[tok] = pid
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]string{"sessionId": s.id, "participantId": pid, "token": tok})
}

var baseUpgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096,
	CheckOrigin: func(*http.Request) bool { return true }}

// bCommand is the part of a command the hub looks at.
type bCommand struct {
	Type     string  `json:"type"`
	Ref      string  `json:"ref"`
	ID       string  `json:"id"`
	ColumnID string  `json:"columnId"`
	Text     *string `json:"text"`
	Color    string  `json:"color"`
}

type bNote struct {
	ID       string `json:"id"`
	ColumnID string `json:"columnId,omitempty"`
	Text     string `json:"text"`
	Color    string `json:"color,omitempty"`
}

type bEvent struct {
	Type    string `json:"type"`
	Seq     int64  `json:"seq"`
	Event   string `json:"event"`
	Data    any    `json:"data"`
	ActorID string `json:"actorId"`
}

type bAck struct {
	Type string `json:"type"`
	Ref  string `json:"ref"`
	Seq  int64  `json:"seq"`
	ID   string `json:"id,omitempty"`
}

// eventNames maps the commands the workloads send to Rembuk's event names.
var eventNames = map[string]string{
	"note.add": "note.added", "note.update": "note.updated", "note.move": "note.moved",
	"vote.cast": "vote.changed", "usg.score": "usg.changed", "notes.reveal": "notes.revealed",
	"phase.set": "phase.changed", "settings.update": "settings.changed",
}

func (h *bHub) socket(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	s := h.byID[r.PathValue("id")]
	h.mu.Unlock()
	if s == nil {
		http.NotFound(w, r)
		return
	}
	ws, err := baseUpgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	ws.SetReadLimit(64 << 10)
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var hello struct{ Type, Token string }
	if _, data, err := ws.ReadMessage(); err != nil || json.Unmarshal(data, &hello) != nil {
		return
	}
	s.mu.Lock()
	pid, ok := s.tokens[hello.Token]
	cl := &bClient{pid: pid, notify: make(chan struct{}, 1)}
	if ok {
		cl.push([]byte(fmt.Sprintf(`{"type":"welcome","board":{"seq":%d,"columns":[{"id":"c1","title":"Catatan","kind":"other","position":1}],"notes":[]}}`, s.seq)))
		s.clients[cl] = struct{}{}
	}
	s.mu.Unlock()
	if !ok {
		ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"error","code":"unauthorized","message":"unknown token"}`))
		return
	}
	stop := make(chan struct{})
	writerDone := make(chan struct{})
	go func() { defer close(writerDone); baseWriter(ws, cl, stop) }()
	defer func() {
		s.mu.Lock()
		delete(s.clients, cl)
		s.mu.Unlock()
		close(stop)
		<-writerDone
	}()
	ws.SetReadDeadline(time.Now().Add(basePongWait))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(basePongWait)) })
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		ws.SetReadDeadline(time.Now().Add(basePongWait))
		var cmd bCommand
		if json.Unmarshal(data, &cmd) != nil {
			cl.push([]byte(`{"type":"error","code":"invalid","message":"not JSON"}`))
			continue
		}
		s.broadcast(cl, cmd, data)
	}
}

// broadcast numbers the change, encodes its event once, queues it to every
// client of the session and acks the sender.
func (s *bSession) broadcast(from *bClient, cmd bCommand, raw []byte) {
	ev := bEvent{Type: "event", Event: eventNames[cmd.Type], ActorID: from.pid}
	if ev.Event == "" {
		ev.Event = cmd.Type
	}
	created := ""
	switch cmd.Type {
	case "note.add":
		created = newUUIDish()
		ev.Data = map[string]bNote{"note": {ID: created, ColumnID: cmd.ColumnID, Text: deref(cmd.Text), Color: cmd.Color}}
	case "note.update":
		ev.Data = map[string]bNote{"note": {ID: cmd.ID, Text: deref(cmd.Text)}}
	default:
		ev.Data = json.RawMessage(raw)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	ev.Seq = s.seq
	frame, _ := json.Marshal(ev)
	for c := range s.clients {
		if !c.push(frame) {
			delete(s.clients, c)
		}
	}
	ack, _ := json.Marshal(bAck{Type: "ack", Ref: cmd.Ref, Seq: s.seq, ID: created})
	from.push(ack)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// baseWriter is the connection's only writer.
func baseWriter(ws *websocket.Conn, cl *bClient, stop <-chan struct{}) {
	ping := time.NewTicker(basePingPeriod)
	defer ping.Stop()
	var buf [][]byte
	for {
		select {
		case <-cl.notify:
		case <-ping.C:
			if ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(baseWriteWait)) != nil {
				ws.NetConn().Close()
				return
			}
			continue
		case <-stop:
			return
		}
		cl.mu.Lock()
		buf = append(buf[:0], cl.frames...)
		clear(cl.frames)
		cl.frames, cl.bytes = cl.frames[:0], 0
		closed := cl.closed
		cl.mu.Unlock()
		for _, f := range buf {
			ws.SetWriteDeadline(time.Now().Add(baseWriteWait))
			if err := ws.WriteMessage(websocket.TextMessage, f); err != nil {
				ws.NetConn().Close()
				return
			}
		}
		if closed {
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(1013, "too slow"), time.Now().Add(baseWriteWait))
			ws.NetConn().Close()
			return
		}
	}
}
