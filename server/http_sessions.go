package server

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"rembuk/board"
)

var errPanic = errors.New("panic")

const requestTimeout = 15 * time.Second

func (s *Server) healthz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.store.Healthy(ctx); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *Server) templates(c *fiber.Ctx) error { return c.JSON(board.Templates()) }

// decodeBody parses a JSON body strictly into v.
func decodeBody(c *fiber.Ctx, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(c.Body())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return board.Errorf(board.CodeInvalid, "the body is not the expected JSON object")
	}
	return nil
}

type createRequest struct {
	Title           string              `json:"title"`
	Template        string              `json:"template"`
	FacilitatorName string              `json:"facilitatorName"`
	Agenda          string              `json:"agenda"`
	Place           string              `json:"place"`
	Unit            string              `json:"unit"`
	ScheduledAt     string              `json:"scheduledAt"`
	Lang            string              `json:"lang"`
	Passcode        string              `json:"passcode"`
	TimeZone        string              `json:"timeZone"`
	City            string              `json:"city"`
	AcknowledgedBy  *board.Acknowledger `json:"acknowledgedBy"`
}

func (s *Server) createSession(c *fiber.Ctx) error {
	if err := s.storeNewSession(c, nil, board.Programme{}); err != nil {
		return s.writeError(c, err)
	}
	return nil
}

// storeNewSession creates the session a create request's body asks for and
// answers it (POST /api/sessions; inside programme p when ps is set, which
// gives it the programme's letterhead and people and, for a monitoring
// session, the open actions of the programme's register).
func (s *Server) storeNewSession(c *fiber.Ctx, ps ProgrammeStore, p board.Programme) error {
	var req createRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	sess, fac, cols, err := s.newSession(req)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	var actions []board.Action
	if ps != nil {
		inProgramme(&sess, &fac, p)
		if sess.Template == board.TemplateMonitoring {
			states, err := s.programmeStates(ctx, ps, p)
			if err != nil {
				return err
			}
			actions = board.OpenActions(board.BuildRegister(p, states, s.now()), s.newID)
		}
	}
	// Counted once valid (a typo costs nothing), and taken in one step so
	// a burst of parallel requests cannot all slip under the limit.
	if err := s.takeCreate(c); err != nil {
		return err
	}
	tok := newToken()
	fac.TokenHash = hashToken(tok)
	passHash := hashPasscode(sess.ID, req.Passcode)
	for try := 0; ; try++ { // a new join code while one collides
		sess.JoinCode = newJoinCode()
		if ps == nil {
			err = s.store.CreateSession(ctx, sess, passHash, fac, cols)
		} else {
			err = ps.CreateProgrammeSession(ctx, p.ID, sess, passHash, fac, cols, actions)
		}
		if board.ErrorCode(err) != board.CodeConflict || try == 5 {
			break
		}
	}
	if err != nil {
		return err
	}
	s.log.Info("session created", "session", sess.ID, "programme", p.ID, "template", sess.Template, "actions", len(actions), "addr", s.clientAddr(c))
	out := fiber.Map{"id": sess.ID, "joinCode": sess.JoinCode, "facilitatorToken": tok, "participantId": fac.ID}
	if ps != nil {
		out["programmeId"] = p.ID
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// newSession validates a create request and builds what it stores.
func (s *Server) newSession(req createRequest) (board.Session, board.Participant, []board.Column, error) {
	var sess board.Session
	var err error
	if sess.Title, err = board.CleanText("title", req.Title, 1, board.MaxTitle); err != nil {
		return sess, board.Participant{}, nil, err
	}
	tpl, ok := board.TemplateByID(req.Template)
	if !ok {
		return sess, board.Participant{}, nil, board.Errorf(board.CodeInvalid, "unknown template")
	}
	name, err := board.CleanText("facilitatorName", req.FacilitatorName, 1, board.MaxName)
	if err != nil {
		return sess, board.Participant{}, nil, err
	}
	fields := []struct {
		dst  *string
		name string
		val  string
		max  int
	}{
		{&sess.Agenda, "agenda", req.Agenda, board.MaxAgenda}, {&sess.Place, "place", req.Place, board.MaxTitle},
		{&sess.Unit, "unit", req.Unit, board.MaxUnit}, {&sess.ScheduledAt, "scheduledAt", req.ScheduledAt, 40},
		{&sess.City, "city", req.City, board.MaxCity},
	}
	for _, f := range fields {
		clean := board.CleanText
		if f.dst == &sess.Agenda {
			clean = board.CleanLines // the agenda is one item a line
		}
		if *f.dst, err = clean(f.name, f.val, 0, f.max); err != nil {
			return sess, board.Participant{}, nil, err
		}
	}
	if sess.AcknowledgedBy, err = acknowledger(req); err != nil {
		return sess, board.Participant{}, nil, err
	}
	if len([]rune(req.Passcode)) > board.MaxPasscode {
		return sess, board.Participant{}, nil, board.Errorf(board.CodeInvalid, "passcode is longer than %d characters", board.MaxPasscode)
	}
	sess.Lang = "id"
	if req.Lang == "en" {
		sess.Lang = "en"
	} else if req.Lang != "" && req.Lang != "id" {
		return sess, board.Participant{}, nil, board.Errorf(board.CodeInvalid, "lang must be id or en")
	}
	sess.TimeZone = s.cfg.TimeZone
	if req.TimeZone != "" {
		if _, ok := board.TimeZone(req.TimeZone); !ok {
			return sess, board.Participant{}, nil, board.Errorf(board.CodeInvalid, "timeZone must be WIB, WITA or WIT")
		}
		sess.TimeZone = req.TimeZone
	}
	now := s.now()
	sess.ID, sess.Template, sess.Phase, sess.Settings, sess.CreatedAt = s.newID(), tpl.ID, board.PhaseBrainstorm, board.DefaultSettings(), now
	sess.HasPasscode = req.Passcode != ""
	fac := board.Participant{ID: s.newID(), Name: name, Unit: sess.Unit, Role: board.RoleFacilitator, JoinedAt: now}
	cols := make([]board.Column, len(tpl.Columns))
	for i, tc := range tpl.Columns {
		cols[i] = board.Column{ID: s.newID(), Title: tc.Title, Kind: tc.Kind, Position: float64(i + 1)}
	}
	return sess, fac, cols, nil
}

// joinForm is what a join and a second device's request both carry.
type joinForm struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Passcode string `json:"passcode"`
}

type joinRequest struct {
	joinForm
	// Token, when the page still holds one for this session, makes the
	// join a rejoin: the same person, not a new row of the attendance list.
	Token string `json:"token"`
}

func (s *Server) joinSession(c *fiber.Ctx) error {
	ip, now := s.clientAddr(c), s.now()
	var req joinRequest
	name, unit, err := s.readJoin(c, ip, now, &req, &req.joinForm)
	if err != nil {
		return s.writeError(c, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	code := board.NormalizeCode(req.Code)
	id, passHash, err := s.store.SessionByCode(ctx, code)
	if err == nil && req.Token != "" {
		if pid, ok := s.rejoin(ctx, id, req.Token); ok {
			return c.JSON(fiber.Map{"sessionId": id, "participantId": pid, "token": req.Token})
		}
	}
	if err := s.admitted(ip, now, id, passHash, req.Passcode, err); err != nil {
		return s.writeError(c, err)
	}
	tok := newToken()
	p := board.Participant{ID: s.newID(), Name: name, Unit: unit, Role: board.RoleParticipant, JoinedAt: now, TokenHash: hashToken(tok)}
	if err := s.hub.join(ctx, id, p, code); err != nil {
		return s.writeError(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"sessionId": id, "participantId": p.ID, "token": tok})
}

// readJoin refuses an address over its failed joins, decodes a join's
// body into req (form is its joinForm) and cleans the name and unit.
func (s *Server) readJoin(c *fiber.Ctx, ip string, now time.Time, req any, form *joinForm) (name, unit string, err error) {
	if s.joins.blocked(ip, now) {
		return "", "", s.limited(c, s.joins, ip, now, "too many failed joins; wait a minute")
	}
	if err := decodeBody(c, req); err != nil {
		return "", "", err
	}
	if name, err = board.CleanText("name", form.Name, 1, board.MaxName); err != nil {
		return "", "", err
	}
	unit, err = board.CleanText("unit", form.Unit, 0, board.MaxUnit)
	return name, unit, err
}

// admitted checks the passcode of the session a join code found (err is
// the lookup's); an unknown code or a wrong passcode counts as a failed
// join from ip.
func (s *Server) admitted(ip string, now time.Time, id string, passHash []byte, passcode string, err error) error {
	if err == nil && !passcodeOK(passHash, id, passcode) {
		err = board.Errorf(board.CodeForbidden, "wrong passcode")
	}
	if err == nil {
		return nil
	}
	if code := board.ErrorCode(err); code == board.CodeNotFound || code == board.CodeForbidden {
		s.joins.record(ip, now)
		if code == board.CodeNotFound {
			err = board.Errorf(board.CodeNotFound, "no session with this code")
		}
	}
	return err
}

// sessionID reads and copies the :id parameter (Fiber reuses its buffer).
func sessionID(c *fiber.Ctx) (string, error) {
	id := strings.Clone(c.Params("id"))
	if len(id) != 36 {
		return "", board.Errorf(board.CodeNotFound, "session not found")
	}
	return id, nil
}

// withState authenticates the bearer token in the session's room and runs
// fn on the committed state as that participant.
func (s *Server) withState(c *fiber.Ctx, fn viewFunc) error {
	id, err := sessionID(c)
	if err != nil {
		return err
	}
	tok, err := s.tokenFor(c, id, false)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	return s.hub.view(ctx, id, hashToken(tok), fn)
}

// sessionKnown asks the store whether a session exists: answering a request
// without a token must not load (and keep) a whole room.
func (s *Server) sessionKnown(id string) (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	return s.store.SessionExists(ctx, id)
}

func (s *Server) getBoard(c *fiber.Ctx) error {
	var out []byte
	err := s.withState(c, func(st *board.State, p *board.Participant, online func(string) bool) error {
		out = encode(st.Snapshot(board.ViewerOf(p), online, s.now()))
		return nil
	})
	if err != nil {
		return s.writeError(c, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(out)
}

// qr draws a QR code of a join link as PNG, so the page needs no QR library.
func (s *Server) qr(c *fiber.Ctx) error {
	data := strings.Clone(c.Query("data"))
	if data == "" || len(data) > 300 {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "data must be 1 to 300 bytes"))
	}
	png, err := qrcode.Encode(data, qrcode.Medium, 512)
	if err != nil {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "cannot encode this as a QR code"))
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(png)
}

// rejoin reports the participant a token already names in a session.
func (s *Server) rejoin(ctx context.Context, id, tok string) (string, bool) {
	var pid string
	err := s.hub.view(ctx, id, hashToken(tok), func(_ *board.State, p *board.Participant, _ func(string) bool) error {
		pid = p.ID
		return nil
	})
	return pid, err == nil && pid != ""
}

// acknowledger validates the optional "Mengetahui" official of the
// minutes: a title (the office, "Kepala Balai …") is required once the
// object is sent; name and NIP may wait for a pen. An object with every
// field empty is no official at all.
func acknowledger(req createRequest) (*board.Acknowledger, error) {
	a := req.AcknowledgedBy
	if a == nil || strings.TrimSpace(a.Title+a.Name+a.NIP) == "" {
		return nil, nil
	}
	var out board.Acknowledger
	var err error
	if out.Title, err = board.CleanText("acknowledgedBy.title", a.Title, 1, board.MaxUnit); err != nil {
		return nil, err
	}
	if out.Name, err = board.CleanText("acknowledgedBy.name", a.Name, 0, board.MaxName); err != nil {
		return nil, err
	}
	if out.NIP, err = board.CleanText("acknowledgedBy.nip", a.NIP, 0, board.MaxNIP); err != nil {
		return nil, err
	}
	return &out, nil
}
