package server

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
)

// takeCreate counts one creation (a session or a programme) against the
// client address's hourly limit, refusing past it with Retry-After.
func (s *Server) takeCreate(c *fiber.Ctx) error {
	addr, now := s.clientAddr(c), s.now()
	if s.creates != nil && !s.creates.take(addr, now) {
		return s.limited(c, s.creates, addr, now, "too many sessions created from this address; try again later")
	}
	return nil
}

// programmeStates loads the committed state of every session of the
// programme from the store (what is acknowledged is on disk), oldest
// session first. A session deleted meanwhile is left out.
func (s *Server) programmeStates(ctx context.Context, ps ProgrammeStore, p board.Programme) ([]*board.State, error) {
	ids, err := ps.ProgrammeSessions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := make([]*board.State, 0, len(ids))
	for _, id := range ids {
		st, _, err := s.store.LoadState(ctx, id)
		if board.ErrorCode(err) == board.CodeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// programmeRead checks the programme key (programmeAs) and loads the
// committed state of every session of the programme (programmeStates).
func (s *Server) programmeRead(c *fiber.Ctx) (board.Programme, []*board.State, error) {
	ps, p, err := s.programmeAs(c)
	if err != nil {
		return p, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	states, err := s.programmeStates(ctx, ps, p)
	return p, states, err
}

// ProgrammeSession is one session as the programme page lists it.
type ProgrammeSession struct {
	ID           string      `json:"id"`
	Title        string      `json:"title"`
	Date         string      `json:"date"`
	ScheduledAt  string      `json:"scheduledAt"`
	Template     string      `json:"template"`
	Phase        board.Phase `json:"phase"`
	Closed       bool        `json:"closed"`
	Participants int         `json:"participants"`
	Notes        int         `json:"notes"`
	Actions      int         `json:"actions"`
}

// getProgramme answers the programme and its sessions (for its page).
func (s *Server) getProgramme(c *fiber.Ctx) error {
	p, states, err := s.programmeRead(c)
	if err != nil {
		return s.writeError(c, err)
	}
	list := make([]ProgrammeSession, 0, len(states))
	for _, st := range states {
		ss := &st.Session
		n := 0
		for _, q := range st.Participants {
			if !q.Removed {
				n++
			}
		}
		list = append(list, ProgrammeSession{ID: ss.ID, Title: ss.Title, Date: board.SessionDate(ss), ScheduledAt: ss.ScheduledAt,
			Template: ss.Template, Phase: ss.Phase, Closed: ss.Closed, Participants: n, Notes: len(st.Notes), Actions: len(st.Actions)})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"programme": p, "sessions": list})
}

// getRegister answers the programme's action register (board.Register).
func (s *Server) getRegister(c *fiber.Ctx) error {
	p, states, err := s.programmeRead(c)
	if err != nil {
		return s.writeError(c, err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(board.BuildRegister(p, states, s.now()))
}
