package minutes

import (
	"strconv"
	"strings"
	"time"

	"rembuk/board"
)

// Labels holds every user-facing string of the minutes in one language.
// Renderers take all their words from here, so a new language is one more
// table and no renderer changes.
type Labels struct {
	Minutes, Date, Time, Place, Chair, MinuteTaker, Participants string
	Agenda, Discussion, Priorities, Innovations, Conclusions     string
	Actions, Attendance                                          string
	UnitMap, UnitUnstated                                        string // Pemetaan per Unit; its bucket of problems with no unit shown

	// Table headers.
	No, Problem, U, S, G, Total, Raters, Votes string
	Activity, PIC, Due, Status, Name, Unit     string
	Role, JoinedAt, Signature, Links           string
	NIPHead, Jabatan                           string // attendance columns
	Signed                                     string // a signature where no drawing fits (md)

	// Root-cause figures (issue 13): the section, the two captions
	// ("%s" is the problem) and the effects' heading.
	Figures, FishboneCap, TreeCap, Effects string

	// Values and phrases.
	Done, NotDone, NotRevealed, NoNotes, None, WholeSession string
	SeeAttendance                                           string // "%d orang (lihat daftar hadir)"
	ClosedAt, OpenAt                                        string // "... pukul %s"
	Until                                                   string // a start with no end yet: "%s s.d. selesai"
	NIP, Page, Generated                                    string
	NIPOf                                                   string // "NIP. %s"
	AcknowledgedBy                                          string // "Mengetahui"
	NoCity                                                  string // the city's dotted line
	Answers                                                 string // prefix of an innovation's links
	Anonymous                                               string // said once when authors are withheld
	AnonymousSome                                           string // said once when only notes written while anonymous lack them
	VoteOne, VoteMany, RaterOne, RaterMany                  string // "%d suara", "%d penilai"

	RoleFacilitator, RoleNotulis, RoleParticipant string

	Days   [7]string  // Sunday first, as time.Weekday counts
	Months [12]string // January first
	// Decimal is the decimal separator for scores shown to people.
	Decimal string
	// Tag is the BCP 47 tag documents declare, for spell checkers and readers.
	Tag string
	// Clock is the time layout: "15.04" as Indonesian documents write
	// times (PUEBI), "15:04" in English.
	Clock string
	// CSVHead is the csv header row; CSVNote and CSVGroup fill its tenth
	// column (kind); CSVComma separates the cells.
	CSVHead           [11]string
	CSVNote, CSVGroup string
	CSVComma          rune
	// File is the first word of a downloaded file's name (see Filename).
	File string
}

// labels is the translation table: one entry per language.
var labels = map[string]*Labels{
	"id": {
		Minutes: "Notulen", Date: "Hari/Tanggal", Time: "Waktu", Place: "Tempat", Chair: "Pimpinan Rapat",
		MinuteTaker: "Notulis", Participants: "Peserta", Agenda: "Agenda", Discussion: "Pembahasan",
		Priorities: "Prioritas Masalah", Innovations: "Usulan Inovasi", Conclusions: "Kesimpulan",
		Actions: "Tindak Lanjut", Attendance: "Daftar Hadir",
		UnitMap: "Pemetaan per Unit", UnitUnstated: "Unit tidak disebutkan",
		No: "No", Problem: "Masalah", U: "U", S: "S", G: "G", Total: "Total", Raters: "Penilai", Votes: "Suara",
		Activity: "Kegiatan", PIC: "PIC", Due: "Tenggat", Status: "Status", Name: "Nama", Unit: "Unit",
		Role: "Peran", JoinedAt: "Waktu Hadir", Signature: "Tanda Tangan", Links: "Menjawab",
		Figures: "Diagram Akar Masalah", FishboneCap: "Diagram tulang ikan: %s", TreeCap: "Pohon masalah: %s", Effects: "Dampak",
		Done: "Selesai", NotDone: "Belum", NotRevealed: "(belum dibuka)", NoNotes: "(tidak ada catatan)",
		None: "-", WholeSession: "Rapat secara umum",
		SeeAttendance: "%d orang (lihat daftar hadir)",
		ClosedAt:      "Rapat ditutup pukul %s.", OpenAt: "Notulen dibuat pukul %s; rapat belum ditutup.",
		Until: "%s s.d. selesai",
		NIP:   "NIP. ....................", Page: "Halaman %d dari %s", Generated: "Dibuat dengan Rembuk",
		NIPHead: "NIP", Jabatan: "Jabatan", Signed: "✓",
		NIPOf: "NIP. %s", AcknowledgedBy: "Mengetahui", NoCity: "....................",
		Answers:       "menjawab",
		Anonymous:     "Sesi anonim: penulis catatan tidak dicantumkan.",
		AnonymousSome: "Catatan yang ditulis selama sesi anonim tidak mencantumkan penulisnya.",
		VoteOne:       "%d suara", VoteMany: "%d suara", RaterOne: "%d penilai", RaterMany: "%d penilai",
		RoleFacilitator: "Pimpinan Rapat", RoleNotulis: "Notulis", RoleParticipant: "Peserta",
		Days:    [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"},
		Months:  [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"},
		Decimal: ",", Tag: "id-ID", File: "notulen", Clock: "15.04",
		CSVHead: [11]string{"kolom", "grup", "teks", "penulis", "suara", "u", "s", "g", "total", "jenis", "unit"},
		CSVNote: "catatan", CSVGroup: "grup", CSVComma: ';',
	},
	"en": {
		Minutes: "Minutes", Date: "Date", Time: "Time", Place: "Place", Chair: "Chair",
		MinuteTaker: "Minute-taker", Participants: "Participants", Agenda: "Agenda", Discussion: "Discussion",
		Priorities: "Problem Priorities", Innovations: "Proposed Innovations", Conclusions: "Conclusions",
		Actions: "Follow-up Actions", Attendance: "Attendance List",
		UnitMap: "Mapping by Unit", UnitUnstated: "Unit not stated",
		No: "No", Problem: "Problem", U: "U", S: "S", G: "G", Total: "Total", Raters: "Raters", Votes: "Votes",
		Activity: "Action", PIC: "PIC", Due: "Deadline", Status: "Status", Name: "Name", Unit: "Unit",
		Role: "Role", JoinedAt: "Time Joined", Signature: "Signature", Links: "Answers",
		Figures: "Root-Cause Diagrams", FishboneCap: "Fishbone diagram: %s", TreeCap: "Problem tree: %s", Effects: "Effects",
		Done: "Done", NotDone: "Open", NotRevealed: "(not yet revealed)", NoNotes: "(no notes)",
		None: "-", WholeSession: "The meeting as a whole",
		SeeAttendance: "%d people (see attendance list)",
		ClosedAt:      "The meeting closed at %s.", OpenAt: "Minutes written at %s; the meeting is still open.",
		Until: "from %s",
		NIP:   "NIP. ....................", Page: "Page %d of %s", Generated: "Made with Rembuk",
		NIPHead: "NIP", Jabatan: "Position", Signed: "✓",
		NIPOf: "NIP. %s", AcknowledgedBy: "Acknowledged by", NoCity: "....................",
		Answers:       "answers",
		Anonymous:     "Anonymous session: note authors are not named.",
		AnonymousSome: "Notes written while the session was anonymous do not name their authors.",
		VoteOne:       "%d vote", VoteMany: "%d votes", RaterOne: "%d rater", RaterMany: "%d raters",
		RoleFacilitator: "Chair", RoleNotulis: "Minute-taker", RoleParticipant: "Participant",
		Days:    [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		Months:  [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		Decimal: ".", Tag: "en-GB", File: "minutes", Clock: "15:04",
		// The contract's header names, then the added kind column.
		CSVHead: [11]string{"column", "group", "text", "author", "votes", "u", "s", "g", "total", "kind", "unit"},
		CSVNote: "note", CSVGroup: "group", CSVComma: ',',
	},
}

// DefaultLang is the language of the minutes when none (or an unknown one) is asked for.
const DefaultLang = "id"

// Lang returns lang when the minutes speak it, else DefaultLang, so the
// HTTP handler can check a query parameter the same way Build does.
func Lang(lang string) string {
	if _, ok := labels[lang]; ok {
		return lang
	}
	return DefaultLang
}

// DefaultZone is the zone used when neither the session nor the caller names one.
const DefaultZone = "WIB"

// zoneOf picks the session's zone, then the caller's, then WIB.
func zoneOf(session, opt string) (string, *time.Location) {
	for _, z := range []string{strings.ToUpper(session), strings.ToUpper(opt)} {
		if loc, ok := board.TimeZone(z); ok {
			return z, loc
		}
	}
	loc, _ := board.TimeZone(DefaultZone)
	return DefaultZone, loc
}

// longDate writes a date out as officials do: "Jumat, 27 November 2026".
func (l *Labels) longDate(t time.Time) string {
	return l.Days[t.Weekday()] + ", " + l.dayDate(t)
}

// dayDate writes a date without its weekday, as the place-and-date line
// above signatures does: "10 Desember 2026".
func (l *Labels) dayDate(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + l.Months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// shortDate writes a YYYY-MM-DD date out without its weekday; anything
// else as it is.
func (l *Labels) shortDate(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return l.dayDate(t)
	}
	return s
}

// dueDate writes an action's YYYY-MM-DD deadline out; a value that is not
// a date (older data) is shown as it is rather than dropped.
func (l *Labels) dueDate(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		if s == "" {
			return l.None
		}
		return s
	}
	return l.longDate(t)
}

// clock writes a time of day the language's way: "09.00" in Indonesian,
// "09:00" in English.
func (l *Labels) clock(t time.Time) string { return t.Format(l.Clock) }

// score writes a USG mean with two decimals and the language's separator.
func (l *Labels) score(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 2, 64), ".", l.Decimal, 1)
}
