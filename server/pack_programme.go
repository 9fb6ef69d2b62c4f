package server

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
	"rembuk/minutes"
)

// getProgrammePack streams a programme's evidence pack: the "Laporan
// Monitoring Rencana Aksi" of its register at the root, then every
// session's pack in its own folder. Its rights are the register's (the
// programme key, programmeAs). The sessions' documents are made from their
// committed states (what is acknowledged is on disk) for the notulis's
// view: the facilitator's own view of unrevealed private notes stays out
// of anything filed.
func (s *Server) getProgrammePack(c *fiber.Ctx) error {
	lang := strings.Clone(c.Query("lang", minutes.DefaultLang))
	if lang != "id" && lang != "en" {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "lang must be id or en"))
	}
	ps, p, err := s.programmeAs(c)
	if err != nil {
		return s.writeError(c, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	states, err := s.programmeStates(ctx, ps, p)
	if err != nil {
		return s.writeError(c, err)
	}
	now := s.now()
	reg := minutes.RegisterFrom(board.BuildRegister(p, states, now), lang, minutes.ProgrammeKop(p))
	entries := minutes.RegisterEntries("", reg)
	for i, st := range states {
		opts := minutes.Options{Now: now, Lang: lang, Zone: s.cfg.TimeZone, Role: board.RoleNotulis}
		sp := minutes.SessionPack{Minutes: minutes.Build(st, opts), Letter: minutes.BuildLetter(st, opts, nil),
			Actions: minutes.SessionRegister(st, opts)}
		if err := s.packPhotos(st.Session.ID, &sp); err != nil {
			return s.writeError(c, err)
		}
		entries = append(entries, sp.Entries(minutes.SessionDir(lang, i+1, &st.Session))...)
	}
	s.streamPack(c, minutes.ProgrammePackFilename(lang, p), entries, now, func(files []minutes.PackEntry) []byte {
		return minutes.Readme(lang, reg.Title, now, files)
	})
	return nil
}
