package minutes

import (
	"fmt"
	"strings"
	"time"

	"rembuk/board"
)

// Letter is the invitation letter (surat undangan) of a session, laid out
// as an Indonesian government office writes one: kop, nomor, sifat,
// lampiran, perihal, the addressees (Yth. …), the body with hari/tanggal,
// waktu, tempat and acara, the closing and the signature block. Every
// string is final text; renderers only lay it out.
type Letter struct {
	Lang string
	L    *LetterLabels
	Made time.Time

	Kop []string // letterhead lines, the office first; none: no kop

	Title                               string // the meeting's name, in the body
	Number, Nature, Attachment, Subject string
	PlaceDate                           string // "Jakarta, 1 Desember 2026", above the addressees
	To                                  []string
	Date                                string // "Kamis, 10 Desember 2026"
	Time                                string // "09.00 WIB – selesai"
	Place                               string
	Agenda                              []string
	SignerTitle, SignerName, SignerNIP  string // each final: a dotted line where unset
}

// LetterLabels are the letter's words in one language.
type LetterLabels struct {
	Invitation, Number, Nature, Attachment, Subject string
	To, AtPlace, Opening, Intro, Closing            string
	Date, Time, Place, Agenda                       string
	Until                                           string // "%s – selesai"
	NatureDefault, AttachDefault, SubjectDefault    string
	File                                            string // file name stem
	TPIChair                                        string // a programme's default signer
}

var letterLabels = map[string]*LetterLabels{
	"id": {Invitation: "Undangan", Number: "Nomor", Nature: "Sifat", Attachment: "Lampiran", Subject: "Perihal",
		To: "Yth.", AtPlace: "di tempat", Opening: "Dengan hormat,",
		Intro:   "Dalam rangka %s, bersama ini kami mengundang Bapak/Ibu untuk hadir pada:",
		Closing: "Mengingat pentingnya acara tersebut, kami mengharapkan kehadiran Bapak/Ibu tepat pada waktunya. Atas perhatian dan kehadiran Bapak/Ibu, kami ucapkan terima kasih.",
		Date:    "Hari/Tanggal", Time: "Waktu", Place: "Tempat", Agenda: "Acara", Until: "%s – selesai",
		NatureDefault: "Biasa", AttachDefault: "-", SubjectDefault: "Undangan Rapat", File: "undangan",
		TPIChair: "Ketua Tim Pembangunan Zona Integritas"},
	"en": {Invitation: "Invitation", Number: "Number", Nature: "Classification", Attachment: "Attachment", Subject: "Subject",
		To: "To:", AtPlace: "", Opening: "Dear Sir or Madam,",
		Intro:   "In connection with %s, we kindly invite you to attend on:",
		Closing: "Given the importance of this meeting, we look forward to your attendance on time. Thank you for your attention.",
		Date:    "Date", Time: "Time", Place: "Place", Agenda: "Agenda", Until: "%s – until finished",
		NatureDefault: "Ordinary", AttachDefault: "-", SubjectDefault: "Meeting Invitation", File: "invitation",
		TPIChair: "Chair, Integrity Zone Development Team"},
}

// dotted is the line left to fill in by hand.
const dotted = "...................."

// BuildLetter makes the invitation letter of st from its invitation
// fields (board.Invitation) and the session: the date and start of the
// meeting as the minutes reckon them (scheduled, else the actual start),
// its place and agenda unless the letter names others, and the letter's
// own date, the day the session was made. kop are the letterhead lines;
// nil uses the session's unit.
func BuildLetter(st *board.State, opts Options, kop []string) Letter {
	lang := Lang(opts.Lang)
	l, ml := letterLabels[lang], labels[lang]
	zone, loc := zoneOf(st.Session.TimeZone, opts.Zone)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	ss := st.Session
	inv := board.Invitation{}
	if ss.Invitation != nil {
		inv = *ss.Invitation
	}
	if kop == nil {
		kop = SessionKop(&ss)
	}
	// A session of a programme is the TPI ZI's meeting: its chair signs
	// the invitation unless the letter names someone else.
	if p := ss.Programme; p != nil && strings.TrimSpace(inv.SignerName) == "" && strings.TrimSpace(inv.SignerTitle) == "" {
		inv.SignerName, inv.SignerNIP = p.Chair.Name, p.Chair.NIP
		inv.SignerTitle = l.TPIChair
	}
	start := when(st, st.SortedParticipants(), now, loc).start
	if t, ok := scheduledAt(ss.ScheduledAt, loc); ok {
		start = t.In(loc) // the letter states the time people were asked to come
	}
	written := ss.CreatedAt
	if written.IsZero() || written.After(start) {
		written = start
	}
	city := strings.TrimSpace(ss.City)
	if city == "" {
		city = dotted
	}
	lt := Letter{Lang: lang, L: l, Made: now.UTC(), Kop: kop, Title: oneLine(ss.Title),
		Number: or(inv.Number, dotted), Nature: or(inv.Nature, l.NatureDefault), Attachment: or(inv.Attachment, l.AttachDefault),
		Subject:   or(inv.Subject, l.SubjectDefault),
		PlaceDate: city + ", " + ml.dayDate(written.In(loc)),
		Date:      ml.longDate(start), Time: fmt.Sprintf(l.Until, ml.clock(start)+" "+zone),
		Place:       or(inv.Place, or(ss.Place, dotted)),
		SignerTitle: or(inv.SignerTitle, dotted), SignerName: inv.SignerName, SignerNIP: ml.NIP}
	if inv.SignerNIP != "" {
		lt.SignerNIP = fmt.Sprintf(ml.NIPOf, inv.SignerNIP)
	}
	lt.To = nonEmptyLines(inv.To)
	if len(lt.To) == 0 {
		lt.To = []string{dotted}
	}
	lt.Agenda = nonEmptyLines(or(inv.Agenda, ss.Agenda))
	if len(lt.Agenda) == 0 {
		lt.Agenda = []string{oneLine(ss.Title)}
	}
	return lt
}

// or is s, or def when s is blank.
func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// nonEmptyLines splits user text into its non-blank lines, trimmed.
func nonEmptyLines(s string) []string {
	var out []string
	for _, ln := range lines(s) {
		if ln = strings.TrimSpace(ln); ln != "" {
			out = append(out, ln)
		}
	}
	return out
}

// LetterFields are the body's labelled lines, in the letter's order.
func (lt *Letter) LetterFields() []Field {
	l := lt.L
	return []Field{{l.Date, lt.Date}, {l.Time, lt.Time}, {l.Place, lt.Place}, {l.Agenda, strings.Join(lt.Agenda, "\n")}}
}

// HeadFields are nomor, sifat, lampiran and perihal.
func (lt *Letter) HeadFields() []Field {
	l := lt.L
	return []Field{{l.Number, lt.Number}, {l.Nature, lt.Nature}, {l.Attachment, lt.Attachment}, {l.Subject, lt.Subject}}
}

// Intro is the body's first sentence.
func (lt *Letter) Intro() string { return fmt.Sprintf(lt.L.Intro, lt.Title) }

// Signer is the name under the signature, or a dotted line.
func (lt *Letter) Signer() string {
	if strings.TrimSpace(lt.SignerName) == "" {
		return "(....................................)"
	}
	return oneLine(lt.SignerName)
}

// RenderLetter writes the letter as pdf or docx.
func RenderLetter(lt Letter, format string) ([]byte, error) {
	switch format {
	case "pdf":
		return letterPDF(&lt)
	case "docx":
		return letterDOCX(&lt)
	}
	return nil, ErrFormat
}
