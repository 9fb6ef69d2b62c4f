package server

import (
	"bufio"
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
	"rembuk/minutes"
)

// packWriteWindow is how long writing one file of a pack may take: the
// server's WriteTimeout covers a whole answer, and a pack of thirty photos
// to a phone on the room's Wi-Fi can take longer than that, so the
// deadline moves on after every file.
const packWriteWindow = 30 * time.Second

// getPack streams a session's evidence pack (paket data dukung) as a zip.
// Its rights are the minutes' (board.MayReadMinutes), asked inside the
// room like the minutes; the model is built there too, the rendering
// happens file by file while the zip goes out (minutes.PackWriter).
func (s *Server) getPack(c *fiber.Ctx) error {
	lang, err := queryLang(c)
	if err != nil {
		return s.writeError(c, err)
	}
	var sp minutes.SessionPack
	var sid string
	err = s.withState(c, func(st *board.State, p *board.Participant, _ func(string) bool) error {
		if err := board.MayReadMinutes(p); err != nil {
			return err
		}
		sid = st.Session.ID
		sp = minutes.NewSessionPack(st, minutes.Options{Now: s.now(), Lang: lang, Zone: s.cfg.TimeZone, Role: p.Role})
		return nil
	})
	if err == nil {
		err = s.packPhotos(sid, &sp)
	}
	if err != nil {
		return s.writeError(c, err)
	}
	entries := sp.Entries("")
	name := minutes.PackFilename(lang, sp.Minutes.Title, sp.Minutes.Day)
	s.streamPack(c, name, entries, sp.Minutes.Made, func(files []minutes.PackEntry) []byte {
		return minutes.Readme(lang, sp.Minutes.Title, sp.Minutes.Made, files)
	})
	return nil
}

// packPhotos lists the session's photos without their bytes and gives the
// pack loaders that read them one at a time while it is written.
func (s *Server) packPhotos(sid string, sp *minutes.SessionPack) error {
	ps, ok := s.store.(PhotoStore)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	list, err := ps.Photos(ctx, sid, false)
	if err != nil || len(list) == 0 {
		return err
	}
	for i, p := range list {
		id := p.ID
		sp.Photos = append(sp.Photos, minutes.PackPhoto{No: i + 1, Caption: p.Caption, Load: func() ([]byte, error) {
			ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
			defer cancel()
			b, err := ps.PhotoData(ctx, sid, id, false)
			if board.ErrorCode(err) == board.CodeNotFound {
				return nil, minutes.ErrSkip // deleted since the list was read
			}
			return b, err
		}})
	}
	sp.LoadPhotos = func() ([]minutes.Photo, error) { return s.minutesPhotos(sid) }
	return nil
}

// streamPack sends entries as a zip named name, then README.txt built
// from what was written. The answer's status and headers go first: the
// X-Pack-Files header tells the page how many files to expect, for its
// progress. A failure after that can only cut the zip short (it is
// logged; the page sees a broken download).
func (s *Server) streamPack(c *fiber.Ctx, name string, entries []minutes.PackEntry, made time.Time, readme func([]minutes.PackEntry) []byte) {
	attachment(c, "application/zip", name)
	c.Set("X-Pack-Files", strconv.Itoa(len(entries)+1))
	conn := c.Context().Conn()
	log := s.log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		pw := minutes.NewPackWriter(w, made)
		pw.Wrote = func(string, int64) { _ = conn.SetWriteDeadline(time.Now().Add(packWriteWindow)) }
		for _, e := range entries {
			if err := pw.Add(e); err != nil {
				log.Warn("evidence pack cut short", "file", e.Name, "err", err)
				return
			}
		}
		text := readme(pw.Files())
		if err := pw.Add(minutes.PackEntry{Name: "README.txt", Body: func() ([]byte, error) { return text, nil }}); err != nil {
			log.Warn("evidence pack cut short", "file", "README.txt", "err", err)
			return
		}
		if err := pw.Close(); err != nil {
			log.Warn("evidence pack cut short", "err", err)
		}
	})
}
