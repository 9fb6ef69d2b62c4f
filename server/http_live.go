package server

import (
	"bufio"
	"context"
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
		return s.writeError(c, err)
	}
	tok, err := bearer(c)
	if err != nil {
		return s.writeError(c, err)
	}
	cmd, err := board.DecodeCommand(c.Body())
	if err != nil {
		return s.writeError(c, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	reply := make(chan cmdReply, 1)
	r, err := ask(ctx, s.hub, id, commandMsg{tokenHash: hashToken(tok), cmd: cmd, reply: reply}, reply)
	if err != nil {
		return s.writeError(c, err)
	}
	status := fiber.StatusOK
	if r.code != "" {
		status = httpStatus[r.code]
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Status(status).Send(r.frame)
}

// sseEvents streams the same frames as the WebSocket as Server-Sent Events:
// a welcome, then every event and presence frame.
func (s *Server) sseEvents(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return s.writeError(c, err)
	}
	tok, err := bearer(c)
	if err != nil {
		tok = strings.Clone(c.Query("token"))
		if tok == "" {
			return s.writeError(c, err)
		}
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
	cl := &client{out: newOutbox()}
	ctx, cancel := context.WithTimeout(context.Background(), attachTimeout)
	defer cancel()
	reply := make(chan error, 1)
	aerr, err := ask(ctx, s.hub, id, attachMsg{tokenHash: hashToken(tok), since: since, cl: cl, reply: reply}, reply)
	if err == nil {
		err = aerr
	}
	if err != nil {
		return s.writeError(c, err)
	}
	c.Set(fiber.HeaderContentType, "text/event-stream")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no")
	s.sockets.Add(1)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer s.sockets.Done()
		s.streamEvents(w, cl)
		dctx, dcancel := context.WithTimeout(context.Background(), time.Second)
		s.hub.send(dctx, id, detachMsg{cl: cl})
		dcancel()
	})
	return nil
}

// streamEvents writes the outbox as SSE until the client goes or the room
// closes it. A comment line every pingPeriod keeps proxies from timing out.
func (s *Server) streamEvents(w *bufio.Writer, cl *client) {
	ping := time.NewTicker(pingPeriod)
	defer ping.Stop()
	var buf [][]byte
	for {
		select {
		case <-cl.out.notify:
		case <-ping.C:
			if _, err := w.WriteString(": ping\n\n"); err != nil || w.Flush() != nil {
				return
			}
			continue
		}
		var code int
		buf, code, _ = cl.out.take(buf)
		for _, f := range buf {
			w.WriteString("data: ")
			w.Write(f)
			w.WriteString("\n\n")
		}
		if w.Flush() != nil || code != 0 {
			return
		}
	}
}

// deleteSession lets the facilitator delete a session and all its data.
func (s *Server) deleteSession(c *fiber.Ctx) error {
	err := s.withState(c, func(st *board.State, p *board.Participant) error {
		if p.Role != board.RoleFacilitator {
			return board.Errorf(board.CodeForbidden, "only the facilitator may delete the session")
		}
		return nil
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
	s.hub.send(ctx, id, stopMsg{})
	s.log.Info("session deleted", "session", id)
	return c.SendStatus(fiber.StatusNoContent)
}
