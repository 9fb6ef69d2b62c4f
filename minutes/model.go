// Package minutes turns a board into its notulen (minutes). Build makes
// one Model from the board as the chair sees it — visibility asked of
// package board, rankings and every written-out date decided once — and
// Render writes that Model in one format. Renderers only lay out what the
// Model says; none of them ranks, filters or decides visibility again, so
// the md, html, docx, pdf, csv and json files always tell the same story.
package minutes

import (
	"strings"
	"time"

	"rembuk/board"
)

// Options tune Build.
type Options struct {
	// Now is the clock: the end of Waktu while the session is open, and the
	// server time of the json board. Zero means time.Now().
	Now time.Time
	// Lang is "id" (default) or "en".
	Lang string
	// Zone is WIB (default), WITA or WIT; the session's own TimeZone wins.
	Zone string
	// Role is the role of whoever downloads the minutes. They hold exactly
	// what a nameless member of that role reads on the board at that moment
	// (see Build): the facilitator's minutes keep unrevealed private notes,
	// marked as such; everyone else's leave them out. The zero value is
	// the strictest view, a member of the room.
	Role board.Role
	// PlainCSV asks for the contract's csv whatever the language: commas,
	// decimal points, the English header names and one row per note (no
	// group rows). The server sets it when a request names no lang, so
	// scripts written against the contract keep working; a lang asks for
	// the spreadsheet of that language.
	PlainCSV bool
}

// Model is the minutes of one session, ready to be laid out. Every string
// is final text in the Model's language; renderers escape, never reword.
type Model struct {
	Lang string
	L    *Labels
	// PlainCSV: see Options.
	PlainCSV bool
	Zone     string    // WIB, WITA or WIT
	Made     time.Time // when the minutes were built (Options.Now), in UTC

	// Head (kepala).
	Title        string
	Unit         string // the office, shown as the letterhead; may be ""
	Date         string // "Jumat, 27 November 2026"
	Day          string // the same day as YYYY-MM-DD, for file names
	Time         string // "09.00–11.30 WIB"
	Place        string // "-" when not given
	Chair        string // the facilitator, "-" if there is none
	MinuteTaker  string // notulis names joined, "-" if none
	Participants string // "12 orang (lihat daftar hadir)"
	Agenda       []string
	Anonymous    bool // the session is anonymous: every author is withheld
	// AnonymousNote is the sentence the documents say once at the top of
	// the discussion: L.Anonymous in an anonymous session, L.AnonymousSome
	// when only notes written while it was anonymous lack their authors,
	// "" when every author may be named.
	AnonymousNote string

	// Body (isi).
	Discussion  []Column
	APKL        *Screening // "Penyaringan APKL", before the priorities; nil without APKL
	Priorities  []Priority
	Figures     []Figure // one per problem with cause or effect links
	Innovations []Innovation
	Units       []UnitProblems // Pemetaan per Unit
	Conclusions []Conclusion
	Actions     []Action
	Closing     string // "Rapat ditutup pukul 11.30 WIB."

	// End (akhir).
	// PlaceDate heads the signatures: the session's city and the
	// meeting's day, "Jakarta, 10 Desember 2026"; a dotted city to fill in
	// by hand when the session names none.
	PlaceDate string
	// Acknowledged is the "Mengetahui" block above the signatures, nil
	// when the session names no official.
	Acknowledged *Acknowledged
	Signatures   []Signature
	Attendance   []Attendee
	// Photos are the Dokumentasi appendix (photos.go); the caller sets
	// them, as they live beside the board, not in it.
	Photos []Photo

	// Board is the snapshot the json format carries, projected by board
	// for the same viewer as everything above.
	Board board.BoardView
}

// Item is a note or a group as the minutes show it.
type Item struct {
	ID     string
	Text   string // the note's text or the group's title
	Author string // "" where the author may not be named
	// Unit is the author's unit where the reader may learn it (board's
	// CanSeeUnit), else "".
	Unit string
	// Mark is L.NotRevealed for a note the private brainstorm still
	// hides from participants; only the facilitator's minutes hold such a
	// note (the facilitator reads it on the board), and its reader is told
	// it was not yet shown to the room.
	Mark  string
	Votes int
	USG   board.USG
	Stats string // "3 suara; USG: U 4,50, S 4,00, G 3,50, total 12,00 (4 penilai)", or ""
}

// Group is a cluster with its notes.
type Group struct {
	Item
	Notes []Item
}

// Column is a lane of the board: its groups first, then its loose notes.
type Column struct {
	Title  string
	Kind   string
	Groups []Group
	Notes  []Item
}

// Empty reports whether the column holds nothing to discuss.
func (c Column) Empty() bool { return len(c.Groups) == 0 && len(c.Notes) == 0 }

// Priority is one row of the ranked problem table.
type Priority struct {
	No            int
	Text, Mark    string
	Column        string
	U, S, G       string // means, written with the language's decimal separator
	Total         string
	Raters, Votes int
}

// Innovation is a proposal with the problems and causes it answers.
type Innovation struct {
	Item
	Column  string
	Answers []string // texts of the linked notes and groups, in board order
}

// Conclusion is a record: about the whole meeting or about one note or group.
type Conclusion struct {
	Target string // L.WholeSession or the note's text / group's title
	Text   string
}

// Action is a follow-up row.
type Action struct {
	No     int
	Text   string
	Target string // the note or group it follows up, or ""
	Owner  string
	Due    string // written out
	Status string // L.Done or L.NotDone
	Done   bool
}

// Signature is one signature block at the end.
type Signature struct {
	Role string // L.Chair or L.MinuteTaker
	Name string // "" leaves a dotted line to fill in by hand
}

// Acknowledged is the "Mengetahui" block: the official who acknowledges
// the minutes, e.g. the head of the office.
type Acknowledged struct {
	Title string // "Kepala Balai Pelayanan …"
	Name  string // "" leaves a dotted line to fill in by hand
	NIP   string // "NIP. 19780101 200501 1 001", or L.NIP's dotted line
}

// Attendee is one row of the attendance list. Removed participants are
// kept: they attended; a row merged into another is not (one line per
// person).
type Attendee struct {
	No        int
	ID        string
	Name      string
	Unit      string
	Role      board.Role
	RoleLabel string
	JoinedAt  time.Time
	Time      string // "09.02 WIB"
	NIP       string
	Jabatan   string
	// Signature is the canonical vector path (board.ParseSignature), ""
	// when unsigned; Strokes are its points in the 300×100 box.
	Signature string
	Strokes   [][]board.Point
}

// Field is one labelled line of the head.
type Field struct{ Label, Value string }

// HeadFields lists the kepala in the contract's order, for every renderer.
func (m *Model) HeadFields() []Field {
	l := m.L
	return []Field{{l.Date, m.Date}, {l.Time, m.Time}, {l.Place, m.Place}, {l.Chair, m.Chair},
		{l.MinuteTaker, m.MinuteTaker}, {l.Participants, m.Participants}, {l.Agenda, strings.Join(m.Agenda, "\n")}}
}

// PriorityHead is the header row of the priority table.
func (m *Model) PriorityHead() []string {
	l := m.L
	return []string{l.No, l.Problem, l.U, l.S, l.G, l.Total, l.Raters, l.Votes}
}

// ActionHead is the header row of the follow-up table.
func (m *Model) ActionHead() []string {
	l := m.L
	return []string{l.No, l.Activity, l.PIC, l.Due, l.Status}
}

// AttendanceHead is the header row of the attendance list.
func (m *Model) AttendanceHead() []string {
	l := m.L
	return []string{l.No, l.Name, l.NIPHead, l.Jabatan, l.Unit, l.Role, l.JoinedAt, l.Signature}
}
