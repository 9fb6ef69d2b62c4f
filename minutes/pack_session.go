package minutes

import (
	"fmt"
	"strings"
	"time"

	"rembuk/board"
)

// SessionPack is what one session's evidence pack is made of: the parts
// built from the board inside the room (Build, BuildLetter,
// SessionRegister), and the photos, loaded from storage one at a time
// while the pack is written.
type SessionPack struct {
	Minutes Model // Photos left empty: LoadPhotos fills them when the minutes are rendered
	Letter  Letter
	Actions Register
	Photos  []PackPhoto
	// LoadPhotos reads every photo for the minutes' Dokumentasi appendix;
	// nil when the session has none.
	LoadPhotos func() ([]Photo, error)
}

// NewSessionPack builds a session's documents (its photos are the
// caller's to add).
func NewSessionPack(st *board.State, opts Options) SessionPack {
	return SessionPack{Minutes: Build(st, opts), Letter: BuildLetter(st, opts, nil), Actions: SessionRegister(st, opts)}
}

// PackPhoto is one photo of 04-Dokumentasi: its bytes as stored (the
// server's re-encoded JPEG, without EXIF), loaded when it is written.
type PackPhoto struct {
	No      int
	Caption string
	Load    func() ([]byte, error)
}

// PhotoFile names a photo in the pack: "Foto-01-pembukaan-rapat.jpg".
func PhotoFile(lang string, p PackPhoto) string {
	word := "Foto"
	if Lang(lang) == "en" {
		word = "Photo"
	}
	name := fmt.Sprintf("%s-%02d", word, p.No)
	if s := slug(p.Caption); s != "" {
		name += "-" + s
	}
	return name + ".jpg"
}

// Areas are the areas perubahan the session touched: its columns named for
// an area that hold a note, and its actions' areas.
func (sp *SessionPack) Areas() []int {
	var out []int
	for _, c := range sp.Minutes.Discussion {
		if n := AreaNo(c.Title); n > 0 && !c.Empty() {
			out = append(out, n)
		}
	}
	for _, it := range sp.Actions.Items {
		out = append(out, it.AreaNo)
	}
	return unionAreas(out)
}

// packNames are the pack's file names and descriptions in each language.
var packNames = map[string]struct {
	Letter, Attendance, Minutes, Photos, Actions    string
	LetterAbout, AttendAbout, MinutesAbout, PhotoAb string
	ActionsAbout                                    string
}{
	"id": {Letter: "01-Undangan", Attendance: "02-Daftar-Hadir", Minutes: "03-Notulen", Photos: "04-Dokumentasi", Actions: "05-Rencana-Aksi",
		LetterAbout: "Surat undangan rapat", AttendAbout: "Daftar hadir dengan tanda tangan peserta",
		MinutesAbout: "Notulen rapat", PhotoAb: "Dokumentasi rapat", ActionsAbout: "Rencana aksi (tindak lanjut) rapat dan statusnya"},
	"en": {Letter: "01-Invitation", Attendance: "02-Attendance-List", Minutes: "03-Minutes", Photos: "04-Documentation", Actions: "05-Action-Plan",
		LetterAbout: "Invitation letter", AttendAbout: "Attendance list with the participants' signatures",
		MinutesAbout: "Minutes of the meeting", PhotoAb: "Photos of the meeting", ActionsAbout: "The meeting's action plan and its status"},
}

// Entries lists the pack's files under dir ("" or "Sesi-01-…/"), in the
// order they are written; README.txt is the caller's (it indexes what was
// written). Every file touches area 1, Manajemen Perubahan: the LKE asks
// for the TPI ZI's meetings and their monitoring there; besides, each
// touches the areas the session discussed (its actions' areas for the
// action plan).
func (sp *SessionPack) Entries(dir string) []PackEntry {
	lang := Lang(sp.Minutes.Lang)
	pn := packNames[lang]
	all := unionAreas([]int{1}, sp.Areas())
	var acts []int
	for _, it := range sp.Actions.Items {
		acts = append(acts, it.AreaNo)
	}
	acts = unionAreas([]int{1}, acts)
	minutesWithPhotos := func(format string) func() ([]byte, error) {
		return func() ([]byte, error) {
			m := sp.Minutes
			if sp.LoadPhotos != nil {
				ps, err := sp.LoadPhotos()
				if err != nil {
					return nil, err
				}
				m.Photos = ps
			}
			b, _, _, err := Render(m, format)
			return b, err
		}
	}
	letter := func(format string) func() ([]byte, error) {
		return func() ([]byte, error) { return RenderLetter(sp.Letter, format) }
	}
	register := func(format string) func() ([]byte, error) {
		return func() ([]byte, error) { return RenderRegister(sp.Actions, format) }
	}
	out := []PackEntry{
		{Name: dir + pn.Letter + ".pdf", About: pn.LetterAbout, Areas: all, Body: letter("pdf")},
		{Name: dir + pn.Letter + ".docx", About: pn.LetterAbout, Areas: all, Body: letter("docx")},
		{Name: dir + pn.Attendance + ".pdf", About: pn.AttendAbout, Areas: all,
			Body: func() ([]byte, error) { return AttendancePDF(sp.Minutes) }},
		{Name: dir + pn.Minutes + ".pdf", About: pn.MinutesAbout, Areas: all, Body: minutesWithPhotos("pdf")},
		{Name: dir + pn.Minutes + ".docx", About: pn.MinutesAbout, Areas: all, Body: minutesWithPhotos("docx")},
	}
	for _, p := range sp.Photos {
		about := pn.PhotoAb
		if p.Caption != "" {
			about += ": " + p.Caption
		}
		out = append(out, PackEntry{Name: dir + pn.Photos + "/" + PhotoFile(lang, p), About: about, Areas: all, Body: p.Load})
	}
	return append(out,
		PackEntry{Name: dir + pn.Actions + ".csv", About: pn.ActionsAbout, Areas: acts, Body: register("csv")},
		PackEntry{Name: dir + pn.Actions + ".pdf", About: pn.ActionsAbout, Areas: acts, Body: register("pdf")})
}

// SessionRegister is the session's own actions as a register: each
// action's area (its tag, else its target's column when that is an area
// perubahan), status, progress notes and evidence; overdue when not
// selesai past its deadline. A monitoring session's copies of earlier
// actions are listed too, with the session they came from as the source.
func SessionRegister(st *board.State, opts Options) Register {
	_, loc := zoneOf(st.Session.TimeZone, opts.Zone)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := now.In(loc).Format(time.DateOnly)
	r := Register{Lang: Lang(opts.Lang), Title: st.Session.Title, Made: now.UTC(), Today: today, Kop: SessionKop(&st.Session)}
	day := board.SessionDate(&st.Session)
	for _, a := range st.SortedActions() {
		it := RegisterItem{Text: a.Text, Owner: a.Owner, Due: a.Due, Source: st.Session.Title, SourceDate: day,
			Status: a.StatusOf(), AreaNo: board.AreaNo(st.AreaOf(a)), Evidence: a.Evidence}
		if a.Origin != nil && a.Origin.SessionTitle != "" {
			it.Source, it.SourceDate = a.Origin.SessionTitle, a.Origin.SessionDate // agreed in an earlier session of the programme
		}
		for _, pn := range a.Progress {
			it.Progress = append(it.Progress, progressNote(pn, ""))
		}
		it.Overdue = it.Status != board.StatusSelesai && board.ValidDate(a.Due) && a.Due < today
		r.Items = append(r.Items, it)
	}
	return r
}

// SessionKop is the letterhead of a session's documents: its programme's
// kop (instansi, unit, alamat) when it was made in one, else its unit.
func SessionKop(ss *board.Session) []string {
	if p := ss.Programme; p != nil {
		var out []string
		for _, l := range []string{p.Kop.Instansi, p.Kop.Unit, p.Kop.Alamat} {
			if strings.TrimSpace(l) != "" {
				out = append(out, l)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	if strings.TrimSpace(ss.Unit) != "" {
		return []string{ss.Unit}
	}
	return nil
}
