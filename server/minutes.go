package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
	"rembuk/minutes"
)

// getMinutes serves the minutes to the facilitator and the notulis, each
// the minutes of their role (minutes.Options.Role decides what they hold). The
// model is built inside the room (the state has no locks); rendering, the
// slow part, happens here, off the room's goroutine.
func (s *Server) getMinutes(c *fiber.Ctx) error {
	format := strings.Clone(c.Query("format", "md"))
	plainCSV := c.Query("lang") == "" // the contract's csv shape (minutes.Options.PlainCSV)
	if !validFormat(format) {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "format must be one of %s", strings.Join(minutes.Formats, ", ")))
	}
	lang, err := queryLang(c)
	if err != nil {
		return s.writeError(c, err)
	}
	var m minutes.Model
	var sid string
	err = s.withState(c, func(st *board.State, p *board.Participant, _ func(string) bool) error {
		if err := board.MayReadMinutes(p); err != nil {
			return err
		}
		sid = st.Session.ID
		m = minutes.Build(st, minutes.Options{Now: s.now(), Lang: lang, Zone: s.cfg.TimeZone, Role: p.Role, PlainCSV: plainCSV})
		return nil
	})
	if err == nil {
		m.Photos, err = s.minutesPhotos(sid)
	}
	if err != nil {
		return s.writeError(c, err)
	}
	body, ctype, ext, err := minutes.Render(m, format)
	if errors.Is(err, minutes.ErrFormat) {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "unknown format"))
	}
	if err != nil {
		return s.writeError(c, err)
	}
	attachment(c, ctype, minutes.Filename(m, ext))
	return c.Send(body)
}

// queryLang reads the ?lang= of a document: id (the default) or en.
func queryLang(c *fiber.Ctx) (string, error) {
	lang := strings.Clone(c.Query("lang", minutes.DefaultLang))
	if lang != "id" && lang != "en" {
		return "", board.Errorf(board.CodeInvalid, "lang must be id or en")
	}
	return lang, nil
}

// attachment sets the headers of a download named name, never cached.
func attachment(c *fiber.Ctx, ctype, name string) {
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
}

func validFormat(f string) bool {
	for _, x := range minutes.Formats {
		if x == f {
			return true
		}
	}
	return false
}
