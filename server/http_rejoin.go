package server

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
)

// HTTP side of rejoining from a second device (rejoin.go has the rules
// kept in the room; docs/protocol.md "A second device").

func (s *Server) rejoinRoutes() {
	a := s.app
	a.Post("/api/rejoin", s.requireJSON, s.askRejoin)
	a.Get("/api/sessions/:id/rejoin", s.listRejoins)
	a.Get("/api/sessions/:id/rejoin/:rid", s.pollRejoin)
	a.Post("/api/sessions/:id/rejoin/:rid", s.requireJSON, s.decideRejoin)
	a.Post("/api/sessions/:id/devices", s.makeDeviceLink)
	a.Post("/api/sessions/:id/devices/claim", s.requireJSON, s.claimDeviceLink)
}

// inRoom runs fn on session id's room and waits until fn calls done.
func (s *Server) inRoom(id string, fn func(r *room, done func(error))) error {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	reply := make(chan error, 1)
	m := roomFn{fn: func(r *room) { fn(r, func(err error) { reply <- err }) }, fail: func(err error) { reply <- err }}
	return s.hub.call(ctx, id, m, reply)
}

// asParticipant is inRoom for a bearer token's participant.
func (s *Server) asParticipant(c *fiber.Ctx, fn func(r *room, p *board.Participant, done func(error))) error {
	id, err := sessionID(c)
	if err != nil {
		return err
	}
	tok, err := s.tokenFor(c, id, false)
	if err != nil {
		return err
	}
	hash := hashToken(tok)
	return s.inRoom(id, func(r *room, done func(error)) {
		p := r.participantByToken(hash)
		if p == nil {
			done(board.Errorf(board.CodeUnauthorized, "unknown or removed participant"))
			return
		}
		fn(r, p, done)
	})
}

// limited refuses addr, over limiter l, with 429 and a Retry-After of the
// whole seconds (rounded up) until it may try again.
func (s *Server) limited(c *fiber.Ctx, l *windowLimiter, addr string, now time.Time, msg string) error {
	s.log.Warn("refused: too many from one address", "addr", addr, "why", msg)
	wait := (l.retryAfter(addr, now) + time.Second - 1) / time.Second
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait)))
	return board.Errorf(board.CodeRateLimited, "%s", msg)
}

// askRejoin: a new device asks the facilitator to be let in as someone
// already in the session, by name.
func (s *Server) askRejoin(c *fiber.Ctx) error {
	ip, now := s.clientAddr(c), s.now()
	var req joinForm
	name, unit, err := s.readJoin(c, ip, now, &req, &req)
	if err != nil {
		return s.writeError(c, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	code := board.NormalizeCode(req.Code)
	id, passHash, err := s.store.SessionByCode(ctx, code)
	if err := s.admitted(ip, now, id, passHash, req.Passcode, err); err != nil {
		return s.writeError(c, err)
	}
	// A request another node forwarded here was counted there.
	if _, fwd := s.forwardedAddr(c); !fwd && !s.rejoinAsks.take(ip, now) {
		return s.writeError(c, s.limited(c, s.rejoinAsks, ip, now, "too many requests from this address; wait a few minutes"))
	}
	var q *rejoinRequest
	err = s.inRoom(id, func(r *room, done func(error)) {
		if r.st.Session.JoinCode != code {
			done(board.Errorf(board.CodeNotFound, "no session with this code"))
			return
		}
		var err error
		q, err = r.askRejoin(name, unit, now)
		done(err)
	})
	if err != nil {
		if board.ErrorCode(err) == board.CodeNotFound {
			s.joins.record(ip, now) // guessing names counts like guessing codes
		}
		return s.writeError(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"sessionId": id, "requestId": q.ID, "expiresAt": q.Expires})
}

// pollRejoin: the new device asks how its request stands; the request id
// (128 random bits) is its proof.
func (s *Server) pollRejoin(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return s.writeError(c, err)
	}
	rid := strings.Clone(c.Params("rid"))
	var q *rejoinRequest
	err = s.inRoom(id, func(r *room, done func(error)) {
		var err error
		q, err = r.collectRejoin(rid, s.now())
		done(err)
	})
	if err != nil {
		return s.writeError(c, err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if q.Status == "pending" {
		return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"status": "pending", "expiresAt": q.Expires})
	}
	return c.JSON(fiber.Map{"status": "approved", "sessionId": id, "participantId": q.Who, "token": q.Token})
}

// listRejoins: the facilitator's waiting requests (also pushed live as a
// "rejoin" frame).
func (s *Server) listRejoins(c *fiber.Ctx) error {
	var list []rejoinView
	err := s.asParticipant(c, func(r *room, p *board.Participant, done func(error)) {
		if p.Role != board.RoleFacilitator {
			done(board.Errorf(board.CodeForbidden, "only the facilitator sees requests"))
			return
		}
		if r.book().prune(s.now()) {
			r.pushRejoins()
		}
		list = r.rejoinList()
		done(nil)
	})
	if err != nil {
		return s.writeError(c, err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"requests": list})
}

type rejoinDecision struct {
	Approve       *bool  `json:"approve"`
	ParticipantID string `json:"participantId"`
}

// decideRejoin: the facilitator approves or refuses a request.
func (s *Server) decideRejoin(c *fiber.Ctx) error {
	var req rejoinDecision
	if err := decodeBody(c, &req); err != nil {
		return s.writeError(c, err)
	}
	if req.Approve == nil {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "approve (true or false) is required"))
	}
	rid := strings.Clone(c.Params("rid"))
	err := s.asParticipant(c, func(r *room, p *board.Participant, done func(error)) {
		r.decideRejoin(p, rid, *req.Approve, req.ParticipantID, s.now(), done)
	})
	if err != nil {
		return s.writeError(c, err)
	}
	status := "refused"
	if *req.Approve {
		status = "approved"
	}
	return c.JSON(fiber.Map{"status": status})
}

// makeDeviceLink: the first device asks for a single-use link that opens
// the board on another device as the same person.
func (s *Server) makeDeviceLink(c *fiber.Ctx) error {
	var secret string
	var exp time.Time
	err := s.asParticipant(c, func(r *room, p *board.Participant, done func(error)) {
		var err error
		secret, exp, err = r.makeLink(p, s.now())
		done(err)
	})
	if err != nil {
		return s.writeError(c, err)
	}
	id, _ := sessionID(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"secret": secret, "expiresAt": exp,
		"path": "/s/" + id + "#perangkat=" + secret})
}

// claimDeviceLink: the second device redeems a link's secret for a token.
func (s *Server) claimDeviceLink(c *fiber.Ctx) error {
	ip, now := s.clientAddr(c), s.now()
	if s.joins.blocked(ip, now) {
		return s.writeError(c, s.limited(c, s.joins, ip, now, "too many failed joins; wait a minute"))
	}
	id, err := sessionID(c)
	if err != nil {
		return s.writeError(c, err)
	}
	var req struct {
		Secret string `json:"secret"`
	}
	if err := decodeBody(c, &req); err != nil {
		return s.writeError(c, err)
	}
	if req.Secret == "" || len(req.Secret) > 64 {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "secret is required"))
	}
	var pid, tok string
	err = s.inRoom(id, func(r *room, done func(error)) {
		r.claimLink(req.Secret, now, func(p, t string, err error) { pid, tok = p, t; done(err) })
	})
	if err != nil {
		if board.ErrorCode(err) == board.CodeNotFound {
			s.joins.record(ip, now)
		}
		return s.writeError(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"sessionId": id, "participantId": pid, "token": tok})
}
