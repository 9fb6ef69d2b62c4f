package minutes

import (
	"fmt"
	"testing"
	"time"

	"rembuk/board"
)

// t0 is 09.00 WIB on Friday 27 November 2026: the fixed clock of every test.
var t0 = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

// fixture drives a board through the domain's own commands, as the room
// would, with a fixed clock and counting ids, so every run is identical.
type fixture struct {
	tb  testing.TB
	st  *board.State
	now time.Time
	n   int
	ids map[string]string // name -> id of what a command created
}

func (f *fixture) newID() string { f.n++; return fmt.Sprintf("id-%04d", f.n) }

func (f *fixture) tick(d time.Duration) { f.now = f.now.Add(d) }

func (f *fixture) join(id, name, unit string, role board.Role) {
	f.tb.Helper()
	p := board.Participant{ID: id, Name: name, Unit: unit, Role: role, JoinedAt: f.now}
	if _, err := f.st.Join(p); err != nil {
		f.tb.Fatalf("join %s: %v", name, err)
	}
	f.tick(time.Minute)
}

// do executes cmd as actor; key, if given, remembers the created id.
func (f *fixture) do(actor string, cmd board.Command, key string) {
	f.tb.Helper()
	cmd.Ref = f.newID()
	ch, err := f.st.Execute(actor, cmd, f.now, f.newID)
	if err != nil {
		f.tb.Fatalf("%s by %s: %v", cmd.Type, actor, err)
	}
	if key != "" {
		f.ids[key] = ch.CreatedID
	}
	f.tick(10 * time.Second)
}

func sp(s string) *string { return &s }
func bp(b bool) *bool     { return &b }

func (f *fixture) column(key, title, kind string) {
	f.do("p-fac", board.Command{Type: "column.add", Title: sp(title), Kind: sp(kind)}, key)
}

func (f *fixture) note(key, author, col, text string) {
	f.do(author, board.Command{Type: "note.add", ColumnID: f.ids[col], Text: sp(text)}, key)
}

func (f *fixture) usg(who, target string, u, s, g int) {
	f.do(who, board.Command{Type: "usg.score", TargetID: board.Str(f.ids[target]), U: u, S: s, G: g}, "")
}

func (f *fixture) vote(who, target string, times int) {
	for range times {
		f.do(who, board.Command{Type: "vote.cast", TargetID: board.Str(f.ids[target])}, "")
	}
}

const scriptNote = "<script>alert(1)</script>"

// The people of the fixture. Their names carry letters beyond ASCII, so
// every format is seen to keep them.
const (
	nameChair  = "Rina Kusuma"
	nameTaker  = "Agus Salim"
	nameDede   = "Dédé Ñuñez"
	nameSiti   = "Siti Nurhaliza Ş"
	nameBudi   = "Budi Santoso"
	fixtureTtl = "Rapat Evaluasi Zona Integritas 2026"
)

// newFixture builds the session the golden files show: a closed FGD with
// a group, votes and USG scores, a note still hidden by the private
// brainstorm, links, records, actions and a removed participant.
func newFixture(tb testing.TB, anonymous bool) *board.State {
	return newFixtureWith(tb, anonymous, nil)
}

// newFixtureWith is newFixture with extra commands run at two stages:
// "open" (before the private round) and "private" (during it).
func newFixtureWith(tb testing.TB, anonymous bool, extra func(f *fixture, stage string)) *board.State {
	if extra == nil {
		extra = func(*fixture, string) {}
	}
	s := board.Session{ID: "s-0001", Title: fixtureTtl, Template: "masalah-inovasi",
		Agenda: "1. Identifikasi masalah layanan\n2. Penilaian USG\n3. Rencana tindak lanjut",
		Place:  "Ruang Rapat Lantai 2", Unit: "BP3KP Jawa II", Lang: "id", Phase: board.PhaseBrainstorm,
		Settings: board.DefaultSettings(), CreatedAt: t0.Add(-10 * time.Minute),
		City: "Jakarta", AcknowledgedBy: &board.Acknowledger{Title: ackTitle, Name: ackName, NIP: ackNIP}}
	f := &fixture{tb: tb, st: board.NewState(s), now: t0, ids: map[string]string{}}
	f.join("p-fac", nameChair, "Bagian Umum", board.RoleFacilitator)
	f.join("p-not", nameTaker, "Subbagian Tata Usaha", board.RoleParticipant)
	f.join("p-dede", nameDede, "Seksi Pelayanan", board.RoleParticipant)
	f.join("p-siti", nameSiti, "", board.RoleParticipant)
	f.join("p-budi", nameBudi, "Seksi Pengawasan", board.RoleParticipant)
	f.do("p-fac", board.Command{Type: "participant.setRole", ID: "p-not", Role: "notulis"}, "")
	if anonymous {
		f.do("p-fac", board.Command{Type: "settings.update", Anonymous: bp(true)}, "")
	}

	f.column("masalah", "Masalah", board.KindProblem)
	f.column("akar", "Akar Masalah", board.KindCause)
	f.column("inovasi", "Usulan Inovasi", board.KindInnovation)
	f.column("catatan", "Catatan", board.KindOther)

	f.note("antrean", "p-dede", "masalah", "Antrean layanan panjang pada jam sibuk")
	f.note("info", "p-siti", "masalah", "Informasi persyaratan belum jelas\nBanyak pemohon datang dua kali")
	f.note("script", "p-budi", "masalah", scriptNote)
	f.note("sop", "p-fac", "akar", "SOP pelayanan belum diperbarui")
	f.note("loket", "p-dede", "akar", "Petugas loket kurang")
	f.note("app", "p-siti", "inovasi", "Aplikasi antrean daring")
	f.note("papan", "p-not", "inovasi", "Papan informasi persyaratan & video tutorial")
	f.do("p-fac", board.Command{Type: "group.add", ColumnID: f.ids["masalah"], Title: sp("Pelayanan loket"),
		NoteIDs: []string{f.ids["antrean"], f.ids["info"]}}, "grp")

	extra(f, "open")
	// A second, private round: this note stays hidden from the room.
	f.do("p-fac", board.Command{Type: "settings.update", PrivateBrainstorm: bp(true)}, "")
	f.note("ruang", "p-dede", "masalah", "Ruang tunggu sempit")
	extra(f, "private")

	f.do("p-fac", board.Command{Type: "phase.set", Phase: "vote"}, "")
	f.usg("p-dede", "grp", 5, 4, 4)
	f.usg("p-siti", "grp", 4, 4, 3)
	f.usg("p-dede", "sop", 4, 5, 4)
	f.usg("p-siti", "sop", 4, 4, 5)
	f.usg("p-not", "loket", 3, 3, 3)
	f.vote("p-dede", "grp", 2)
	f.vote("p-siti", "sop", 1)
	f.vote("p-budi", "script", 1)
	f.vote("p-budi", "app", 2)

	f.do("p-fac", board.Command{Type: "phase.set", Phase: "discuss"}, "")
	f.do("p-siti", board.Command{Type: "link.add", FromID: f.ids["app"], ToID: f.ids["grp"]}, "")
	f.do("p-not", board.Command{Type: "link.add", FromID: f.ids["papan"], ToID: f.ids["sop"]}, "")
	f.do("p-not", board.Command{Type: "link.add", FromID: f.ids["papan"], ToID: f.ids["info"]}, "")
	// The root causes of the queue, drawn as figures (issue 13).
	f.do("p-dede", board.Command{Type: "link.add", FromID: f.ids["loket"], ToID: f.ids["antrean"], Kind: sp(board.LinkCause)}, "")
	f.do("p-fac", board.Command{Type: "link.add", FromID: f.ids["sop"], ToID: f.ids["loket"], Kind: sp(board.LinkCause)}, "")
	f.do("p-not", board.Command{Type: "record.set", TargetID: board.Str(f.ids["grp"]),
		Text: sp("Perlu penambahan loket pada jam sibuk.")}, "")
	f.do("p-not", board.Command{Type: "record.set",
		Text: sp("Disepakati dua prioritas: pelayanan loket dan pembaruan SOP.")}, "")

	f.do("p-fac", board.Command{Type: "phase.set", Phase: "actions"}, "")
	f.do("p-not", board.Command{Type: "action.add", Text: sp("Memperbarui SOP pelayanan"), Owner: sp("Kasubbag TU"),
		Due: sp("2026-12-15"), TargetID: board.Str(f.ids["sop"])}, "")
	f.do("p-not", board.Command{Type: "action.add", Text: sp("Meluncurkan aplikasi antrean daring"),
		Owner: sp(nameDede), Due: sp("2027-01-29")}, "")
	f.do("p-fac", board.Command{Type: "action.add", Text: sp("Memasang papan informasi"), Owner: sp("Bagian Umum"),
		Due: sp("2026-12-04"), Done: bp(true)}, "")
	f.do("p-fac", board.Command{Type: "participant.remove", ID: "p-budi"}, "")
	// Signed attendance (issue 14): Dédé adds NIP and jabatan and signs.
	f.do("p-fac", board.Command{Type: "attendance.request"}, "")
	f.do("p-dede", board.Command{Type: "participant.update", NIP: sp("19850312 201001 2 004"), Jabatan: sp("Analis Pelayanan")}, "")
	f.do("p-dede", board.Command{Type: "participant.sign", Path: sp(fixtureSignature)}, "")

	f.now = time.Date(2026, 11, 27, 4, 30, 0, 0, time.UTC) // 11.30 WIB
	f.do("p-fac", board.Command{Type: "session.close"}, "")
	return f.st
}

// fixtureSignature is Dédé's drawn signature: two strokes and a dot.
const fixtureSignature = "M20 70L40 30L60 70L80 30L100 70M120 50L180 50L240 40M260 80"

// fixtureNow is the clock the fixture's minutes are built at (after closing).
var fixtureNow = time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)

// authorIDs are the ids of everyone who wrote a note in the fixture.
var authorIDs = []string{"p-fac", "p-not", "p-dede", "p-siti", "p-budi"}
