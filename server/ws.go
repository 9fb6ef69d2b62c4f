package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"rembuk/board"
)

// Socket limits and deadlines, together.
const (
	helloWait     = 10 * time.Second
	pongWait      = 60 * time.Second
	pingPeriod    = 25 * time.Second
	writeWait     = 10 * time.Second
	readLimit     = board.MaxRequestBody // hard cap; frames over board.MaxClientFrame get too_large first
	maxBadFrames  = 10                   // consecutive bad frames before a 1008 close
	commandRate   = 20                   // per second, per participant over all transports
	commandBurst  = 40
	attachTimeout = 15 * time.Second
)

// upgradeCheck lets only same-host (or allowed) origins upgrade.
func (s *Server) upgradeCheck(c *fiber.Ctx) error {
	if s.cfg.RefuseUpgrades || !websocket.IsWebSocketUpgrade(c) {
		return fiber.ErrUpgradeRequired
	}
	if !s.originAllowed(c.Get(fiber.HeaderOrigin), c.Hostname()) {
		return s.writeError(c, board.Errorf(board.CodeForbidden, "origin not allowed"))
	}
	addr := s.clientAddr(c) // the same address the other per-address limits count
	if s.addrs.full(addr) {
		return s.writeError(c, errTooManyConns)
	}
	c.Locals(localAddr, addr) // counted in serveSocket, which always ends
	return c.Next()
}

// originAllowed: no Origin (non-browser clients) or the same host, or one
// of the allowed origins.
func (s *Server) originAllowed(origin, host string) bool {
	if origin == "" {
		return true
	}
	for _, o := range s.cfg.AllowedOrigins {
		if o == "*" || strings.EqualFold(o, origin) {
			return true
		}
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, host)
}

func (s *Server) websocketHandler() fiber.Handler {
	return websocket.New(s.serveSocket, websocket.Config{
		// Client frames are small commands; a larger frame is read
		// through the buffer, not into it. Write buffers come from a pool
		// and are held only while a frame is written, so an idle
		// connection holds neither (docs/performance.md, W5).
		ReadBufferSize:  1024,
		WriteBufferSize: 4096,
		WriteBufferPool: writeBufferPool,
		// Our handler recovers its own panics; this only runs if that fails.
		RecoverHandler: func(*websocket.Conn) {},
	})
}

// serveSocket is the connection's reader. It never writes to the socket:
// its writer goroutine does, and it returns only after the writer ended.
func (s *Server) serveSocket(ws *websocket.Conn) {
	s.sockets.Add(1)
	defer s.sockets.Done()
	id := ws.Params("id")
	out := newOutbox()
	out.raw = rawConnOf(ws.NetConn())
	cl := &client{out: out}
	addr, _ := ws.Locals(localAddr).(string)
	if s.addrs.acquire(addr) {
		defer s.addrs.release(addr)
	} else {
		out.push(encodeError("", board.CodeRateLimited, errTooManyConns.Message))
		out.close(closeTooManyIPs, "too many connections")
	}
	var wg sync.WaitGroup
	wg.Add(1)
	stopWriter := make(chan struct{})
	go func() { defer wg.Done(); s.socketWriter(ws, out, stopWriter) }()
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic in socket handler", "panic", v, "session", id)
			out.close(closeInternal, "internal error")
		}
		// Tell the room, stop the writer, wait for it: the Conn is
		// recycled by the websocket package when we return.
		if cl.participantID != "" {
			s.hub.detach(id, cl)
		}
		out.close(1000, "")
		close(stopWriter)
		wg.Wait()
		if out.heldBulk() {
			s.mem.kick()
		}
	}()
	ws.SetReadLimit(readLimit)
	// The writer writes frames to the socket directly, in batches, so the
	// websocket package must never write from this goroutine: pings and
	// a client's close are handed to the writer instead.
	ws.SetPingHandler(func(data string) error { out.answerPing([]byte(data)); return nil })
	ws.SetCloseHandler(func(code int, _ string) error {
		if code == websocket.CloseNoStatusReceived {
			code = websocket.CloseNormalClosure
		}
		out.close(code, "")
		return nil
	})
	if cl.out.isClosed() || !s.hello(ws, id, cl) {
		return
	}
	ws.SetReadDeadline(time.Now().Add(pongWait))
	if cl.out.isClosed() {
		return // closed while attaching: hangUp's deadline was just overwritten
	}
	ws.SetPongHandler(func(string) error {
		ws.SetReadDeadline(time.Now().Add(pongWait))
		if cl.out.isClosed() {
			return errHungUp // the writer ended: stop reading (see hangUp)
		}
		return nil
	})
	s.readCommands(ws, id, cl)
}

// hello reads the first frame and attaches the client to its room.
func (s *Server) hello(ws *websocket.Conn, id string, cl *client) bool {
	ws.SetReadDeadline(time.Now().Add(helloWait))
	mt, data, err := ws.ReadMessage()
	if err != nil {
		if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
			// Silent for helloWait: a policy close, as documented.
			cl.out.close(closePolicy, "hello expected")
		}
		return false
	}
	var h helloFrame
	if mt != websocket.TextMessage || json.Unmarshal(data, &h) != nil || h.Type != "hello" || h.Token == "" {
		cl.out.push(encodeError("", board.CodeInvalid, "the first frame must be hello with a token"))
		cl.out.close(closePolicy, "hello expected")
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), attachTimeout)
	defer cancel()
	if err := s.hub.attach(ctx, id, attachMsg{tokenHash: hashToken(h.Token), since: h.Since, progress: h.Progress, cl: cl}); err != nil {
		code, msg := safeError(s.log, err)
		if code == board.CodeNotFound {
			code, msg = board.CodeUnauthorized, "unknown session or token"
		}
		cl.out.push(encodeError("", code, msg))
		closeCode := closePolicy
		if code == board.CodeUnavailable {
			closeCode = closeTryLater
		}
		cl.out.close(closeCode, code)
		return false
	}
	return true
}

// readCommands decodes each frame and hands it to the room, answering bad
// frames itself (through the outbox: only the writer writes).
func (s *Server) readCommands(ws *websocket.Conn, id string, cl *client) {
	bad := 0
	var buf bytes.Buffer
	var readUntil time.Time
	for {
		mt, data, err := readFrame(ws, &buf)
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				cl.out.push(encodeError("", board.CodeTooLarge, "frame too large"))
				cl.out.close(closeTooBig, "frame too large")
			}
			return
		}
		// Moved only when less than pongWait-deadlineSlack is left: a
		// deadline set per command was a runtime timer reset per frame.
		if now := time.Now(); readUntil.Sub(now) < pongWait-deadlineSlack {
			readUntil = now.Add(pongWait)
			ws.SetReadDeadline(readUntil)
		}
		if cl.out.isClosed() {
			return // the writer ended or is closing (see hangUp)
		}
		var cmd board.Command
		switch {
		case mt != websocket.TextMessage:
			err = board.Errorf(board.CodeInvalid, "only JSON text frames are accepted")
		case !utf8.Valid(data):
			err = board.Errorf(board.CodeInvalid, "frame is not valid UTF-8")
		default:
			cmd, err = board.DecodeCommand(data)
			// Decoded first, so a rate_limited error carries its ref.
			if err == nil && !s.commands.allow(cl.participantID, s.now()) {
				err = board.Errorf(board.CodeRateLimited, errTooFast)
			}
		}
		if err != nil {
			cl.out.push(encodeError(cmd.Ref, board.ErrorCode(err), board.ErrorMessage(err)))
			if board.ErrorCode(err) != board.CodeRateLimited {
				if bad++; bad >= maxBadFrames {
					cl.out.close(closePolicy, "too many bad frames")
					return
				}
			}
			continue
		}
		bad = 0
		if err = s.hub.command(id, cl, cmd, attachTimeout); err != nil {
			code, msg := safeError(s.log, err)
			cl.out.push(encodeError(cmd.Ref, code, msg))
		}
	}
}

// readFrame reads the next message into buf, which the connection reuses:
// a decoded command holds copies (encoding/json copies strings and raw
// values), so nothing keeps the frame's bytes. A buffer grown past a big
// frame is let go.
func readFrame(ws *websocket.Conn, buf *bytes.Buffer) (int, []byte, error) {
	mt, r, err := ws.NextReader()
	if err != nil {
		return mt, nil, err
	}
	if buf.Cap() > 16<<10 {
		*buf = bytes.Buffer{}
	}
	buf.Reset()
	_, err = buf.ReadFrom(r)
	return mt, buf.Bytes(), err
}

// writeBufferPool lends the sockets their write buffers (one size).
var writeBufferPool = &sync.Pool{}

// socketWriter is the connection's only writer besides a small room's
// direct writes (directwrite.go), which it excludes while it writes: it
// drains the outbox, pings, and ends with a close frame.
func (s *Server) socketWriter(ws *websocket.Conn, out *outbox, stop <-chan struct{}) {
	ping := time.NewTicker(pingPeriod)
	defer ping.Stop()
	nc := &lazyDeadline{Conn: ws.NetConn()}
	var buf []frame
	for {
		select {
		case <-out.notify:
		case <-ping.C:
			out.hold()
			err := ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait))
			nc.forget()
			out.release()
			if err != nil {
				hangUp(ws, out)
				return
			}
			continue
		case <-stop:
		}
		rest, frames, pong, code, text := out.claim(buf)
		buf = frames
		if pong != nil {
			err := ws.WriteControl(websocket.PongMessage, pong, time.Now().Add(writeWait))
			nc.forget()
			if err != nil {
				hangUp(ws, out)
				return
			}
		}
		if writeRest(nc, rest) != nil || writeFrames(nc, buf) != nil {
			hangUp(ws, out)
			return
		}
		out.release()
		clear(buf) // keep no written frame alive until the next wake
		if cap(buf) > keepQueueCap {
			buf = nil
		}
		if code != 0 {
			out.hold()
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(writeWait))
			hangUp(ws, out)
			return
		}
	}
}

// writeRest finishes a frame a direct write began.
func writeRest(nc *lazyDeadline, rest []byte) error {
	if len(rest) == 0 {
		return nil
	}
	nc.SetWriteDeadline(time.Now().Add(writeWait))
	_, err := nc.Write(rest)
	return err
}

var errHungUp = errors.New("connection hung up")

// hangUp ends the reader's ReadMessage when the writer stops (a close sent,
// a failed or timed-out write). Closing NetConn does not do it: a hijacked
// fasthttp connection ignores Close and is closed only after the handler
// returns. So the outbox is marked closed and the read deadline set to now;
// the reader checks the outbox after each frame and pong, so a deadline it
// extends concurrently cannot keep it waiting.
func hangUp(ws *websocket.Conn, out *outbox) {
	out.close(closeGoingAway, "")
	ws.NetConn().SetReadDeadline(time.Now())
}
