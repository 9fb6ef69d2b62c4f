package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
)

// postCommand is the HTTP fallback for one command: the same room, rules
// and visibility as the WebSocket; the answer is the ack or error frame.
func (s *Server) postCommand(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return s.writeCommandError(c, "", err)
	}
	tok, err := s.tokenFor(c, id, false)
	if err != nil {
		return s.writeCommandError(c, "", err)
	}
	cmd, err := board.DecodeCommand(c.Body())
	if err != nil {
		return s.writeCommandError(c, strings.Clone(cmd.Ref), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	r, err := s.hub.commandHTTP(ctx, id, hashToken(tok), cmd)
	if err != nil {
		return s.writeCommandError(c, cmd.Ref, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	if r.code == "" {
		return c.Status(fiber.StatusOK).Send(r.frame)
	}
	var f errorFrame
	if json.Unmarshal(r.frame, &f) != nil {
		f = errorFrame{Type: "error", Ref: cmd.Ref, Code: r.code, Message: "the command was refused"}
	}
	return c.Status(httpStatus[r.code]).JSON(commandErrorBody{f, errorDetail{f.Code, f.Message}})
}

// commandErrorBody is a refusal of POST /commands: the WebSocket's error
// frame (type, ref, code, message) and the contract's {"error":{...}} in
// one object, so a client may read either.
type commandErrorBody struct {
	errorFrame
	Error errorDetail `json:"error"`
}

// commandErrors writes what the command endpoint's chain returns (its body
// limit, content type, a panic) in the endpoint's own shape; postCommand
// writes its own refusals, which know the command's ref.
func (s *Server) commandErrors(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return s.writeCommandError(c, "", err)
	}
	return nil
}

// writeCommandError answers POST /commands with a commandErrorBody.
func (s *Server) writeCommandError(c *fiber.Ctx, ref string, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		err = fiberToBoard(fe)
	}
	code, msg := safeError(s.log, err)
	return c.Status(statusOf(err, code)).JSON(commandErrorBody{errorFrame{Type: "error", Ref: ref, Code: code, Message: msg}, errorDetail{code, msg}})
}

// tokenFor returns the request's bearer token (or, with query, ?token=,
// which an EventSource must use). An unknown session is not_found whatever
// the token, also when it is missing.
func (s *Server) tokenFor(c *fiber.Ctx, id string, query bool) (string, error) {
	tok, err := bearer(c)
	if err != nil && query {
		if q := c.Query("token"); q != "" {
			return strings.Clone(q), nil
		}
	}
	if err != nil {
		if ok, _ := s.sessionKnown(id); !ok {
			return "", board.Errorf(board.CodeNotFound, "session not found")
		}
	}
	return tok, err
}

// sseEvents streams the same frames as the WebSocket as Server-Sent Events:
// a welcome, then every event and presence frame.
func (s *Server) sseEvents(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return s.writeError(c, err)
	}
	tok, err := s.tokenFor(c, id, true)
	if err != nil {
		return s.writeError(c, err)
	}
	var since *int64
	if v := c.Query("since"); v != "" {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			return s.writeError(c, board.Errorf(board.CodeInvalid, "since must be an integer"))
		}
		since = &n
	}
	// EventSource resends the last id it saw on reconnect.
	if v := c.Get("Last-Event-ID"); v != "" && since == nil {
		if n, perr := strconv.ParseInt(v, 10, 64); perr == nil {
			since = &n
		}
	}
	addr := s.clientAddr(c) // the same address the other per-address limits count
	if !s.addrs.acquire(addr) {
		return s.writeError(c, errTooManyConns)
	}
	cl := &client{out: newOutbox()}
	ctx, cancel := context.WithTimeout(context.Background(), attachTimeout)
	defer cancel()
	if err := s.hub.attach(ctx, id, attachMsg{tokenHash: hashToken(tok), since: since, progress: c.Query("progress") == "1", cl: cl}); err != nil {
		s.addrs.release(addr)
		return s.writeError(c, err)
	}
	c.Set(fiber.HeaderContentType, "text/event-stream")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no")
	s.sockets.Add(1)
	conn := c.Context().Conn()
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer s.sockets.Done()
		defer s.addrs.release(addr)
		s.streamEvents(w, conn, cl)
		if cl.out.heldBulk() {
			s.mem.kick()
		}
		s.hub.detach(id, cl)
	})
	return nil
}

// streamEvents writes the outbox as SSE until the client goes or the room
// closes it. A comment line every pingPeriod keeps proxies from timing out.
// Each write moves the connection's write deadline to writeWait ahead:
// fasthttp sets it once per response (the server's 30 s WriteTimeout),
// which would cut every stream after 30 s, while a client that stops
// reading is still cut off after writeWait.
func (s *Server) streamEvents(w *bufio.Writer, conn net.Conn, cl *client) {
	ping := time.NewTicker(pingPeriod)
	defer ping.Stop()
	sw := sseWriter{w: w, conn: conn}
	bp := batchPool.Get().(*[]byte)
	defer batchPool.Put(bp)
	var buf []frame
	for {
		select {
		case <-cl.out.notify:
		case <-ping.C:
			sw.SetWriteDeadline(time.Now().Add(writeWait))
			if _, err := sw.Write([]byte(": ping\n\n")); err != nil {
				return
			}
			continue
		}
		var code int
		buf, code, _ = cl.out.take(buf)
		if writeBatched(sw, bp, buf, appendSSEHead, sseTail) != nil || code != 0 {
			return
		}
		clear(buf)
	}
}

var sseTail = []byte("\n\n")

// appendSSEHead starts one SSE event: its data line (a frame is one line
// of JSON, so one data line).
func appendSSEHead(dst []byte, _ int) []byte { return append(dst, "data: "...) }

// sseWriter writes through the response's buffered writer and flushes
// each piece, so a deadline set before a piece covers that piece.
type sseWriter struct {
	w    *bufio.Writer
	conn net.Conn
}

func (sw sseWriter) Write(p []byte) (int, error) {
	n, err := sw.w.Write(p)
	if err == nil {
		err = sw.w.Flush()
	}
	return n, err
}

func (sw sseWriter) SetWriteDeadline(t time.Time) error { return sw.conn.SetWriteDeadline(t) }

// deleteSession lets the facilitator delete a session and all its data.
func (s *Server) deleteSession(c *fiber.Ctx) error {
	err := s.withState(c, func(st *board.State, p *board.Participant, _ func(string) bool) error {
		return board.MayDeleteSession(p)
	})
	if err != nil {
		return s.writeError(c, err)
	}
	id, _ := sessionID(c)
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	if err := s.store.DeleteSession(ctx, id); err != nil {
		return s.writeError(c, err)
	}
	s.hub.stop(ctx, id)
	s.log.Info("session deleted", "session", id)
	return c.SendStatus(fiber.StatusNoContent)
}
