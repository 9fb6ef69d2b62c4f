package server

import (
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
	lang, err := queryLang(c)
	if err != nil {
		return s.writeError(c, err)
	}
	p, states, err := s.programmeRead(c)
	if err != nil {
		return s.writeError(c, err)
	}
	now := s.now()
	reg := minutes.RegisterFrom(board.BuildRegister(p, states, now), lang, minutes.ProgrammeKop(p))
	entries := minutes.RegisterEntries("", reg)
	for i, st := range states {
		sp := minutes.NewSessionPack(st, minutes.Options{Now: now, Lang: lang, Zone: s.cfg.TimeZone, Role: board.RoleNotulis})
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

// getProgrammeReport answers the "Laporan Monitoring Rencana Aksi" alone,
// as pdf, docx or csv: the register's rights (the programme key).
func (s *Server) getProgrammeReport(c *fiber.Ctx) error {
	lang, err := queryLang(c)
	if err != nil {
		return s.writeError(c, err)
	}
	format := strings.Clone(c.Query("format", "pdf"))
	ctype, ok := reportTypes[format]
	if !ok {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "format must be pdf, docx or csv"))
	}
	p, states, err := s.programmeRead(c)
	if err != nil {
		return s.writeError(c, err)
	}
	body, err := minutes.RenderRegister(minutes.RegisterFrom(board.BuildRegister(p, states, s.now()), lang, minutes.ProgrammeKop(p)), format)
	if err != nil {
		return s.writeError(c, err)
	}
	name := strings.TrimSuffix(minutes.ProgrammePackFilename(lang, p), ".zip")
	name = strings.Replace(name, "paket-data-dukung", "laporan-monitoring-rencana-aksi", 1)
	name = strings.Replace(name, "evidence-pack", "action-plan-monitoring-report", 1)
	attachment(c, ctype, name+"."+format)
	return c.Send(body)
}

var reportTypes = map[string]string{
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"csv":  "text/csv; charset=utf-8",
}
