package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"rembuk/board"
)

// t0 is the fixed clock of the store tests.
var t0 = time.Date(2026, 11, 27, 9, 0, 0, 123456789, time.UTC)

// MustOpenDB opens a fresh database file in a temporary folder and closes
// it when the test ends.
func MustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	return MustOpenDBAt(tb, filepath.Join(tb.TempDir(), "data", "rembuk.db"))
}

// MustOpenDBAt opens the database at path and closes it when the test ends
// (Close is idempotent, so a test may close it earlier).
func MustOpenDBAt(tb testing.TB, path string) *DB {
	tb.Helper()
	return mustOpen(tb, path, catchUpEvery)
}

// MustOpenDBManual opens a fresh database whose snapshots catch up only
// when the test calls catchUpNow (or closes it).
func MustOpenDBManual(tb testing.TB) *DB {
	tb.Helper()
	return mustOpen(tb, filepath.Join(tb.TempDir(), "data", "rembuk.db"), time.Hour)
}

func mustOpen(tb testing.TB, path string, catchUp time.Duration) *DB {
	tb.Helper()
	db, err := open(path, nil, catchUp)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// MustClose closes db or fails.
func MustClose(tb testing.TB, db *DB) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
}

// session is a board session being driven through the store the way a room
// does it: decide on the State, Submit, then Commit the seq.
type session struct {
	tb    testing.TB
	db    *DB
	st    *board.State
	newID func() string
	refs  int
	now   time.Time
}

// createSession stores a new session id (join code code) with a
// facilitator "fac" and three columns, and loads it back.
func createSession(tb testing.TB, db *DB, id, code string) *session {
	tb.Helper()
	sess := board.Session{ID: id, Title: "Rapat " + id, Agenda: "Agenda", Place: "Aula", Unit: "Bagian Umum",
		ScheduledAt: "2026-11-27T09:00:00Z", Template: "masalah-inovasi", Lang: "id", TimeZone: "Asia/Jakarta",
		JoinCode: code, Phase: board.PhaseBrainstorm, Settings: board.DefaultSettings(), CreatedAt: t0, HasPasscode: true}
	fac := board.Participant{ID: "fac", Name: "Fasilitator", Unit: "Bagian Umum", Role: board.RoleFacilitator,
		JoinedAt: t0, TokenHash: []byte("fac-token-hash")}
	cols := []board.Column{
		{ID: "c1", Title: "Masalah", Kind: board.KindProblem, Position: 1},
		{ID: "c2", Title: "Akar Masalah", Kind: board.KindCause, Position: 2},
		{ID: "c3", Title: "Usulan Inovasi", Kind: board.KindInnovation, Position: 3},
	}
	if err := db.CreateSession(context.Background(), sess, []byte("pass-hash-"+id), fac, cols); err != nil {
		tb.Fatalf("CreateSession(%s): %v", id, err)
	}
	st, _, err := db.LoadState(context.Background(), id)
	if err != nil {
		tb.Fatalf("LoadState(%s): %v", id, err)
	}
	n := 0
	return &session{tb: tb, db: db, st: st, now: t0,
		newID: func() string { n++; return fmt.Sprintf("%s-obj-%d", id, n) }}
}

// decide executes cmd as actor on the live state without storing it.
func (s *session) decide(actor string, cmd board.Command) *board.Change {
	s.tb.Helper()
	if cmd.Ref == "" {
		s.refs++
		cmd.Ref = fmt.Sprintf("ref-%d", s.refs)
	}
	s.now = s.now.Add(time.Second)
	ch, err := s.st.Execute(actor, cmd, s.now, s.newID)
	if err != nil {
		s.tb.Fatalf("%s by %s: %v", cmd.Type, actor, err)
	}
	return ch
}

// submit stores changes as one room batch and, as a room does, gives each
// its seq from the first one Submit returns and commits it.
func (s *session) submit(changes ...*board.Change) {
	s.tb.Helper()
	first, err := s.db.Submit(context.Background(), s.st.Session.ID, 0, changes)
	if err != nil {
		s.tb.Fatalf("Submit: %v", err)
	}
	for i, c := range changes {
		c.Event.Seq = first + int64(i)
		if c.Event.Seq != s.st.Seq+1 {
			s.tb.Fatalf("change %s got seq %d, want %d", c.Event.Name, c.Event.Seq, s.st.Seq+1)
		}
		s.st.Commit(c.Event.Seq)
	}
}

// submitErr is Submit for a test that wants only its error (from a
// goroutine, say).
func submitErr(db *DB, sessionID string, changes ...*board.Change) error {
	_, err := db.Submit(context.Background(), sessionID, 0, changes)
	return err
}

// do decides and stores one command, returning its change.
func (s *session) do(actor string, cmd board.Command) *board.Change {
	s.tb.Helper()
	ch := s.decide(actor, cmd)
	s.submit(ch)
	return ch
}

// join adds a participant and stores the join.
func (s *session) join(id, name string, role board.Role) {
	s.tb.Helper()
	s.now = s.now.Add(time.Second)
	ch, err := s.st.Join(board.Participant{ID: id, Name: name, Unit: "Unit", Role: board.RoleParticipant,
		JoinedAt: s.now, TokenHash: []byte("hash-" + id)})
	if err != nil {
		s.tb.Fatalf("Join: %v", err)
	}
	s.submit(ch)
	if role != board.RoleParticipant {
		s.do("fac", board.Command{Type: "participant.setRole", ID: id, Role: string(role)})
	}
}

// richSession drives a session through every kind of row.
func richSession(t *testing.T, db *DB, id, code string) (*session, []*board.Change) {
	t.Helper()
	s := createSession(t, db, id, code)
	s.join("not", "Nia Notulis", board.RoleNotulis)
	s.join("pa", "Ani", board.RoleParticipant)
	s.join("pb", "Budi", board.RoleParticipant)
	s.join("pc", "Cici", board.RoleParticipant)
	var all []*board.Change
	do := func(actor string, cmd board.Command) *board.Change {
		ch := s.do(actor, cmd)
		all = append(all, ch)
		return ch
	}
	n1 := do("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("Antrean panjang"), Color: sp("pink")}).CreatedID
	n2 := do("pb", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("Formulir rumit")}).CreatedID
	n3 := do("pb", board.Command{Type: "note.add", ColumnID: "c2", Text: sp("SDM kurang")}).CreatedID
	inno := do("pa", board.Command{Type: "note.add", ColumnID: "c3", Text: sp("Antrean daring")}).CreatedID
	gone := do("pc", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("dihapus nanti")}).CreatedID
	do("pa", board.Command{Type: "note.update", ID: n1, Text: sp("Antrean sangat panjang")})
	do("fac", board.Command{Type: "phase.set", Phase: "group"})
	// A batch of several changes in one Submit, as a room sends them.
	batch := []*board.Change{
		s.decide("pb", board.Command{Type: "group.add", ColumnID: "c1", Title: sp("Layanan"), NoteIDs: []string{n1, n2}}),
		s.decide("pa", board.Command{Type: "note.move", ID: n3, Position: fp(0.5)}),
		s.decide("fac", board.Command{Type: "phase.set", Phase: "vote"}),
	}
	s.submit(batch...)
	all = append(all, batch...)
	g := batch[0].CreatedID
	for _, who := range []string{"pa", "pb", "fac", "pc"} {
		do(who, board.Command{Type: "vote.cast", TargetID: board.Str(n1)})
		do(who, board.Command{Type: "vote.cast", TargetID: board.Str(g)})
		do(who, board.Command{Type: "usg.score", TargetID: board.Str(n1), U: 4, S: 3, G: 5})
	}
	do("pa", board.Command{Type: "vote.cast", TargetID: board.Str(gone)})
	do("pa", board.Command{Type: "vote.cast", TargetID: board.Str(n1)})
	do("pa", board.Command{Type: "vote.retract", TargetID: board.Str(g)})
	do("pb", board.Command{Type: "usg.score", TargetID: board.Str(g), U: 1, S: 2, G: 3})
	do("pa", board.Command{Type: "link.add", FromID: inno, ToID: n1})
	do("pa", board.Command{Type: "link.add", FromID: inno, ToID: gone})
	do("fac", board.Command{Type: "phase.set", Phase: "discuss"})
	do("not", board.Command{Type: "record.set", Text: sp("Kesimpulan sesi")})
	do("not", board.Command{Type: "record.set", TargetID: board.Str(g), Text: sp("Prioritas")})
	do("not", board.Command{Type: "record.set", TargetID: board.Str(gone), Text: sp("hilang")})
	do("not", board.Command{Type: "action.add", Text: sp("Susun SOP"), Owner: sp("Budi"), Due: sp("2026-12-31"), TargetID: board.Str(gone)})
	do("fac", board.Command{Type: "spotlight.set", TargetID: board.Str(gone)})
	do("fac", board.Command{Type: "timer.start", Seconds: 300})
	do("pc", board.Command{Type: "note.delete", ID: gone})
	do("fac", board.Command{Type: "participant.remove", ID: "pc"})
	do("fac", board.Command{Type: "settings.update", VotesPerParticipant: ip(3), PrivateBrainstorm: bp(true), Anonymous: bp(true)})
	do("pb", board.Command{Type: "note.add", ColumnID: "c2", Text: sp("rahasia")})
	do("fac", board.Command{Type: "column.add", Title: sp("Lain-lain")})
	return s, all
}

func sp(s string) *string   { return &s }
func bp(b bool) *bool       { return &b }
func ip(i int) *int         { return &i }
func fp(f float64) *float64 { return &f }

// count returns the rows of table for a session.
func count(tb testing.TB, db *DB, table, sessionID string) int {
	tb.Helper()
	col := "session_id"
	if table == "sessions" {
		col = "id"
	}
	var n int
	if err := db.reader.QueryRow(`SELECT count(*) FROM `+table+` WHERE `+col+` = ?`, sessionID).Scan(&n); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}

// seqs returns the seqs in the event log of a session, in order.
func seqs(tb testing.TB, db *DB, sessionID string) []int64 {
	tb.Helper()
	rows, err := db.reader.Query(`SELECT seq FROM events WHERE session_id = ? ORDER BY seq`, sessionID)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			tb.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// wantGapFree fails unless got is exactly 1..n.
func wantGapFree(tb testing.TB, what string, got []int64, n int) {
	tb.Helper()
	if len(got) != n {
		tb.Fatalf("%s: %d seqs, want %d", what, len(got), n)
	}
	for i, s := range got {
		if s != int64(i+1) {
			tb.Fatalf("%s: seq[%d] = %d, want %d (%v)", what, i, s, i+1, got)
		}
	}
}
