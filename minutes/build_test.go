package minutes

import (
	"reflect"
	"testing"
	"time"

	"rembuk/board"
)

func TestBuildHead(t *testing.T) {
	st := newFixture(t, false)
	m := Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator})
	for _, c := range []struct{ name, got, want string }{
		{"Lang", m.Lang, "id"},
		{"Date", m.Date, "Jumat, 27 November 2026"},
		{"Day", m.Day, "2026-11-27"},
		{"Time", m.Time, "09.00–11.30 WIB"},
		{"Place", m.Place, "Ruang Rapat Lantai 2"},
		{"Chair", m.Chair, nameChair},
		{"MinuteTaker", m.MinuteTaker, nameTaker},
		{"Participants", m.Participants, "5 orang (lihat daftar hadir)"},
		{"Closing", m.Closing, "Rapat ditutup pukul 11.30 WIB."},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	var names, roles []string
	for _, a := range m.Attendance {
		names, roles = append(names, a.Name), append(roles, string(a.Role))
	}
	// Budi was removed from the board but attended: he stays on the list.
	if want := []string{nameChair, nameTaker, nameDede, nameSiti, nameBudi}; !reflect.DeepEqual(names, want) {
		t.Errorf("attendance %q, want %q", names, want)
	}
	if want := []string{"facilitator", "notulis", "participant", "participant", "participant"}; !reflect.DeepEqual(roles, want) {
		t.Errorf("roles %q, want %q", roles, want)
	}
	if got := m.Attendance[1].Time; got != "09.01 WIB" {
		t.Errorf("joined %q", got)
	}
	if want := []Signature{{"Pimpinan Rapat", nameChair}, {"Notulis", nameTaker}}; !reflect.DeepEqual(m.Signatures, want) {
		t.Errorf("signatures %+v", m.Signatures)
	}

	en := Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator, Lang: "en"})
	if en.Date != "Friday, 27 November 2026" || en.L.Discussion != "Discussion" {
		t.Errorf("en: date %q, heading %q", en.Date, en.L.Discussion)
	}
	if got := Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator, Lang: "fr"}).Lang; got != "id" {
		t.Errorf("unknown lang gave %q, want id", got)
	}
}

func TestBuildZones(t *testing.T) {
	st := newFixture(t, false)
	if got := Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator, Zone: "WITA"}).Time; got != "10.00–12.30 WITA" {
		t.Errorf("WITA: %q", got)
	}
	st.Session.TimeZone = "WIT" // the session's own zone wins over the caller's
	if got := Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator, Zone: "WITA"}).Time; got != "11.00–13.30 WIT" {
		t.Errorf("WIT: %q", got)
	}

	// 23.30 WIB on Friday is already Saturday in WITA: the date follows the zone.
	late := board.NewState(board.Session{ID: "s", Title: "Rapat Malam", Settings: board.DefaultSettings()})
	joined := time.Date(2026, 11, 27, 16, 30, 0, 0, time.UTC)
	if _, err := late.Join(board.Participant{ID: "p", Name: "Ani", Role: board.RoleFacilitator, JoinedAt: joined}); err != nil {
		t.Fatal(err)
	}
	now := joined.Add(45 * time.Minute)
	wib := Build(late, Options{Now: now, Role: board.RoleFacilitator})
	wita := Build(late, Options{Now: now, Role: board.RoleFacilitator, Zone: "WITA"})
	if wib.Date != "Jumat, 27 November 2026" || wib.Time != "23.30–00.15 WIB" {
		t.Errorf("WIB: %q %q", wib.Date, wib.Time)
	}
	if wita.Date != "Sabtu, 28 November 2026" || wita.Day != "2026-11-28" {
		t.Errorf("WITA: %q %q", wita.Date, wita.Day)
	}
	// Still open: Waktu ends now, and the closing line says so.
	if wib.Closing != "Notulen dibuat pukul 00.15 WIB; rapat belum ditutup." {
		t.Errorf("open closing %q", wib.Closing)
	}
	if wib.MinuteTaker != "-" || wib.Signatures[1] != (Signature{Role: "Notulis"}) {
		t.Errorf("no notulis: %q %+v", wib.MinuteTaker, wib.Signatures)
	}
}

func TestBuildBody(t *testing.T) {
	m := Build(newFixture(t, false), Options{Now: fixtureNow, Role: board.RoleFacilitator})
	var prio []string
	for _, p := range m.Priorities {
		prio = append(prio, p.Text)
	}
	want := []string{"SOP pelayanan belum diperbarui", "Pelayanan loket", "Petugas loket kurang", scriptNote}
	if !reflect.DeepEqual(prio, want) {
		t.Errorf("priorities %q, want %q", prio, want)
	}
	if p := m.Priorities[0]; p.U != "4,00" || p.Total != "13,00" || p.Raters != 2 || p.Votes != 1 {
		t.Errorf("first priority %+v", p)
	}

	masalah := m.Discussion[0]
	if masalah.Title != "Masalah" || len(masalah.Groups) != 1 || len(masalah.Groups[0].Notes) != 2 || len(masalah.Notes) != 2 {
		t.Fatalf("Masalah column %+v", masalah)
	}
	hidden := masalah.Notes[1]
	if hidden.Text != "Ruang tunggu sempit" || hidden.Mark != "(belum dibuka)" {
		t.Errorf("unrevealed note %+v", hidden)
	}
	if masalah.Notes[0].Mark != "" || masalah.Notes[0].Author != nameBudi {
		t.Errorf("revealed note %+v", masalah.Notes[0])
	}
	if !m.Discussion[3].Empty() {
		t.Errorf("Catatan should be empty")
	}

	if len(m.Innovations) != 2 {
		t.Fatalf("innovations %+v", m.Innovations)
	}
	if got := m.Innovations[1].Answers; !reflect.DeepEqual(got, []string{
		"Informasi persyaratan belum jelas Banyak pemohon datang dua kali", "SOP pelayanan belum diperbarui"}) {
		t.Errorf("answers in board order: %q", got)
	}
	if want := []Conclusion{{"Pelayanan loket", "Perlu penambahan loket pada jam sibuk."},
		{"Rapat secara umum", "Disepakati dua prioritas: pelayanan loket dan pembaruan SOP."}}; !reflect.DeepEqual(m.Conclusions, want) {
		t.Errorf("conclusions %+v", m.Conclusions)
	}
	a := m.Actions[1]
	if a.Text != "Memperbarui SOP pelayanan" || a.Due != "Selasa, 15 Desember 2026" || a.Status != "Belum" ||
		a.Target != "SOP pelayanan belum diperbarui" {
		t.Errorf("action %+v", a)
	}
	if m.Actions[0].Status != "Selesai" {
		t.Errorf("done action %+v", m.Actions[0])
	}
}

// TestPriorityOrder: USG total first, then votes; unscored and unvoted
// problems and every non-problem column stay out.
func TestPriorityOrder(t *testing.T) {
	f := &fixture{tb: t, st: board.NewState(board.Session{ID: "s", Title: "T", Settings: board.DefaultSettings()}),
		now: t0, ids: map[string]string{}}
	f.join("p-fac", "Fasil", "", board.RoleFacilitator)
	f.join("p-a", "A", "", board.RoleParticipant)
	f.column("p", "Masalah", board.KindProblem)
	f.column("o", "Lain", board.KindOther)
	for _, n := range []string{"few", "many", "votes", "none"} {
		f.note(n, "p-a", "p", n)
	}
	f.note("other", "p-a", "o", "other")
	f.do("p-fac", board.Command{Type: "phase.set", Phase: "vote"}, "")
	f.usg("p-a", "few", 3, 3, 3)
	f.usg("p-a", "many", 4, 3, 2)
	f.vote("p-a", "few", 1)
	f.vote("p-a", "many", 2)
	f.vote("p-a", "votes", 2)
	f.usg("p-a", "other", 5, 5, 5)
	var got []string
	for _, p := range Build(f.st, Options{Now: f.now, Role: board.RoleFacilitator}).Priorities {
		got = append(got, p.Text)
	}
	if want := []string{"many", "few", "votes"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}
