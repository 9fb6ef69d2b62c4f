package server

import (
	"context"
	"crypto/subtle"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
)

// ProgrammeStore is what the programme endpoints need of storage (store.DB
// has it). It is apart from Store, like PhotoStore, so a store without
// programmes (the PostgreSQL one, until it has them) still serves the
// rest; the programme endpoints then answer unavailable. The register is
// not stored: it is built from the sessions' states (Store.LoadState).
type ProgrammeStore interface {
	CreateProgramme(ctx context.Context, p board.Programme, keyHash []byte) error
	// Programme returns the programme and the hash of its key; an unknown
	// one is a not_found *board.Error.
	Programme(ctx context.Context, id string) (board.Programme, []byte, error)
	SetProgrammeKey(ctx context.Context, id string, keyHash []byte) error
	// CreateProgrammeSession stores a session inside a programme with the
	// actions it starts with, in one transaction.
	CreateProgrammeSession(ctx context.Context, programmeID string, s board.Session, passcodeHash []byte, facilitator board.Participant, columns []board.Column, actions []board.Action) error
	// ProgrammeSessions lists the programme's session ids, oldest first.
	ProgrammeSessions(ctx context.Context, id string) ([]string, error)
}

func (s *Server) programmeRoutes() {
	a := s.app
	a.Post("/api/programmes", s.requireJSON, s.createProgramme)
	a.Get("/api/programmes/:id", s.getProgramme)
	a.Post("/api/programmes/:id/key", s.rotateProgrammeKey)
	a.Post("/api/programmes/:id/sessions", s.requireJSON, s.createProgrammeSession)
	a.Get("/api/programmes/:id/register", s.getRegister)
	a.Get("/api/programmes/:id/pack", s.getProgrammePack)
	a.Get("/api/programmes/:id/report", s.getProgrammeReport)
	// The programme pages (the key stays in the link's #fragment).
	index := func(c *fiber.Ctx) error { return s.assets().index.send(c) }
	a.Get("/p", index)
	a.Get("/p/:id", index)
}

func (s *Server) programmeStore() (ProgrammeStore, error) {
	ps, ok := s.store.(ProgrammeStore)
	if !ok {
		return nil, board.Errorf(board.CodeUnavailable, "this server keeps no programmes")
	}
	return ps, nil
}

type programmeRequest struct {
	Unit      string         `json:"unit"`
	Year      int            `json:"year"`
	Target    string         `json:"target"`
	Kop       board.Kop      `json:"kop"`
	Chair     board.Official `json:"chair"`
	Secretary board.Official `json:"secretary"`
}

// createProgramme makes a programme and answers its key, once: only its
// hash is stored. Counted against the same per-address limit as sessions.
func (s *Server) createProgramme(c *fiber.Ctx) error {
	ps, err := s.programmeStore()
	if err != nil {
		return s.writeError(c, err)
	}
	var req programmeRequest
	if err := decodeBody(c, &req); err != nil {
		return s.writeError(c, err)
	}
	p := board.Programme{Unit: req.Unit, Year: req.Year, Target: req.Target, Kop: req.Kop, Chair: req.Chair, Secretary: req.Secretary}
	if err := p.Clean(); err != nil {
		return s.writeError(c, err)
	}
	if err := s.takeCreate(c); err != nil {
		return s.writeError(c, err)
	}
	p.ID, p.CreatedAt = s.newID(), s.now().UTC()
	key := newToken()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	if err := ps.CreateProgramme(ctx, p, hashToken(key)); err != nil {
		return s.writeError(c, err)
	}
	s.log.Info("programme created", "programme", p.ID, "addr", s.clientAddr(c))
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": p.ID, "key": key, "programme": p})
}

// programmeAs reads the :id parameter and checks the request's bearer key
// against the programme's: an unknown programme is 404 whatever the key, a
// missing key 401, a wrong one (another programme's included) 403.
func (s *Server) programmeAs(c *fiber.Ctx) (ProgrammeStore, board.Programme, error) {
	ps, err := s.programmeStore()
	if err != nil {
		return nil, board.Programme{}, err
	}
	id := strings.Clone(c.Params("id"))
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	p, hash, err := ps.Programme(ctx, id)
	if err != nil {
		return nil, p, err
	}
	key, err := bearer(c)
	if err != nil {
		return nil, p, err
	}
	if subtle.ConstantTimeCompare(hash, hashToken(key)) != 1 {
		return nil, p, board.Errorf(board.CodeForbidden, "this key does not manage this programme")
	}
	return ps, p, nil
}

// rotateProgrammeKey gives the programme a new key, answered once; the old
// one stops working with this change.
func (s *Server) rotateProgrammeKey(c *fiber.Ctx) error {
	ps, p, err := s.programmeAs(c)
	if err != nil {
		return s.writeError(c, err)
	}
	key := newToken()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	if err := ps.SetProgrammeKey(ctx, p.ID, hashToken(key)); err != nil {
		return s.writeError(c, err)
	}
	s.log.Info("programme key rotated", "programme", p.ID, "addr", s.clientAddr(c))
	return c.JSON(fiber.Map{"id": p.ID, "key": key})
}

// createProgrammeSession creates a session inside the programme: the body
// of POST /api/sessions (storeNewSession).
func (s *Server) createProgrammeSession(c *fiber.Ctx) error {
	ps, p, err := s.programmeAs(c)
	if err == nil {
		err = s.storeNewSession(c, ps, p)
	}
	if err != nil {
		return s.writeError(c, err)
	}
	return nil
}

// inProgramme gives a new session its programme: the link, the letterhead
// and people, the unit when the request named none, and the TPI's chair as
// the "Mengetahui" official when the request named no official.
func inProgramme(sess *board.Session, fac *board.Participant, p board.Programme) {
	sess.Programme = p.Ref()
	if sess.Unit == "" {
		sess.Unit, fac.Unit = p.Unit, p.Unit
	}
	if sess.AcknowledgedBy == nil && p.Chair.Name != "" {
		sess.AcknowledgedBy = &board.Acknowledger{Title: "Ketua TPI ZI " + p.Unit, Name: p.Chair.Name, NIP: p.Chair.NIP}
	}
}
