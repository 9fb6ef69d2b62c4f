package minutes

import (
	"fmt"

	"rembuk/board"
)

// The programme's pack: the register report at its root, then every
// session's pack in a folder of its own, oldest session first.

// ReportName is the register report's file name without extension.
func ReportName(lang string) string {
	if Lang(lang) == "en" {
		return "Action-Plan-Monitoring-Report"
	}
	return "Laporan-Monitoring-Rencana-Aksi"
}

// SessionDir names a session's folder in a programme's pack:
// "Sesi-01-2026-12-10-rapat-tim-kerja/" (n counts from 1).
func SessionDir(lang string, n int, ss *board.Session) string {
	word := "Sesi"
	if Lang(lang) == "en" {
		word = "Session"
	}
	name := fmt.Sprintf("%s-%02d-%s", word, n, board.SessionDate(ss))
	if s := slug(ss.Title); s != "" {
		name += "-" + s
	}
	return name + "/"
}

// RegisterEntries are the register report's three files under dir: PDF,
// DOCX and CSV. Every one touches the areas of its actions and area 1
// (the monitoring of the action plan is Manajemen Perubahan's).
func RegisterEntries(dir string, r Register) []PackEntry {
	about := reportText[Lang(r.Lang)].Title
	var areas []int
	for _, it := range r.Items {
		areas = append(areas, it.AreaNo)
	}
	areas = unionAreas([]int{1}, areas)
	var out []PackEntry
	for _, f := range []string{"pdf", "docx", "csv"} {
		out = append(out, PackEntry{Name: dir + ReportName(r.Lang) + "." + f, About: about, Areas: areas,
			Body: func() ([]byte, error) { return RenderRegister(r, f) }})
	}
	return out
}

// ProgrammeKop is a programme's letterhead lines.
func ProgrammeKop(p board.Programme) []string {
	return SessionKop(&board.Session{Programme: p.Ref(), Unit: p.Unit})
}

// ProgrammePackFilename names a programme's zip:
// paket-data-dukung-program-zi-<unit slug>-<year>.zip.
func ProgrammePackFilename(lang string, p board.Programme) string {
	title := "program-zi " + p.Unit
	if Lang(lang) == "en" {
		title = "zi-programme " + p.Unit
	}
	return PackFilename(lang, title, fmt.Sprint(p.Year))
}
