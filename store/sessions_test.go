package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

// TestCreateSessionAndLoad: what the conformance suite's CreateAndLoad
// (storetest, run on SQLite by TestConformance) leaves to this store: the
// session's fields as written, its sentinel errors, and no row left behind
// by a refused create.
func TestCreateSessionAndLoad(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	storetest.Create(t, db, "s1", "KODE01")

	st, _, err := db.LoadState(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Session.Title != "Rapat s1" || st.Session.JoinCode != "KODE01" || st.Session.Settings.VotesPerParticipant != 5 ||
		!st.Session.CreatedAt.Equal(t0) || st.Session.TimeZone != "Asia/Jakarta" {
		t.Errorf("session fields lost: %+v", st.Session)
	}
	if _, _, err := db.SessionByCode(ctx, "NOPE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SessionByCode(unknown) = %v, want ErrNotFound", err)
	}
	if _, _, err := db.LoadState(ctx, "nope"); !errors.Is(err, ErrNotFound) || board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("LoadState(nope) = %v, want ErrNotFound", err)
	}

	// A join code is unique; the failed create leaves nothing behind.
	err = db.CreateSession(ctx, board.Session{ID: "s2", JoinCode: "KODE01", CreatedAt: t0}, nil,
		board.Participant{ID: "f2", JoinedAt: t0}, []board.Column{{ID: "x", Title: "x", Kind: "other"}})
	if !errors.Is(err, ErrCodeTaken) {
		t.Errorf("duplicate join code: %v, want ErrCodeTaken", err)
	}
	for _, table := range []string{"sessions", "participants", "entities"} {
		if n := count(t, db, table, "s2"); n != 0 {
			t.Errorf("failed create left %d rows in %s", n, table)
		}
	}
	// A duplicate id is an error too, and not a taken code.
	err = db.CreateSession(ctx, board.Session{ID: "s1", JoinCode: "OTHER1", CreatedAt: t0}, nil, board.Participant{ID: "f"}, nil)
	if err == nil || errors.Is(err, ErrCodeTaken) {
		t.Errorf("duplicate id: %v, want a non-code error", err)
	}
}

// TestLoadStateRoundTrip: the loaded board is the live one, for every
// viewer, before and after the file is closed and opened again (the
// conformance suite's LoadStateRoundTrip checks the first).
func TestLoadStateRoundTrip(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	s, changes := storetest.Rich(t, db, "s1", "KODE01")
	check := func(db *DB) {
		t.Helper()
		st, refs, err := db.LoadState(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		storetest.SameRich(t, s.St, changes, st, refs)
	}
	check(db)
	// And the same after closing and opening the file again.
	path := db.path
	MustClose(t, db)
	check(MustOpenDBAt(t, path))
}

// TestSubmitSeqContiguousAndDurable: the seqs of a batch, and that they go
// on after the file is closed and opened again (the conformance suite's
// SeqWithoutGaps checks the numbering of many sessions and batches at once).
func TestSubmitSeqContiguousAndDurable(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	a := storetest.Create(t, db, "sa", "AAAAAA")
	// One batch of three gets 1, 2, 3 in order.
	batch := []*board.Change{
		a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("x")}),
		a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("y")}),
		a.Decide("fac", board.Command{Type: "phase.set", Phase: "vote"}),
	}
	a.Submit(batch...)
	for i, c := range batch {
		if c.Event.Seq != int64(i+1) {
			t.Errorf("batch[%d].Seq = %d, want %d", i, c.Event.Seq, i+1)
		}
	}
	a.Do("fac", board.Command{Type: "timer.stop"})
	wantGapFree(t, "sa", seqs(t, db, "sa"), 4)

	// Close and reopen: the seq goes on.
	path := db.path
	MustClose(t, db)
	db = MustOpenDBAt(t, path)
	st, _, err := db.LoadState(ctx, "sa")
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != 4 {
		t.Errorf("seq after reopen = %d, want 4", st.Seq)
	}
	a.DB, a.St = db, st
	if ch := a.Do("fac", board.Command{Type: "timer.stop"}); ch.Event.Seq != 5 {
		t.Errorf("first seq after reopen = %d, want 5", ch.Event.Seq)
	}
	wantGapFree(t, "sa after reopen", seqs(t, db, "sa"), 5)
	// The seq is the log's: nothing else counts it.
	var stored int64
	if err := db.reader.QueryRow(`SELECT max(seq) FROM events WHERE session_id = 'sa'`).Scan(&stored); err != nil || stored != 5 {
		t.Errorf("the log's last seq = %d %v, want 5", stored, err)
	}
}

// TestSubmitUnknownSession: a Submit to a session that does not exist
// leaves no row in any table and no seq on the change (the conformance
// suite's SubmitUnknownSession checks the error, the log and the health).
func TestSubmitUnknownSession(t *testing.T) {
	db := MustOpenDB(t)
	s := storetest.Create(t, db, "s1", "KODE01")
	ch := s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("x")})
	first, err := db.Submit(context.Background(), "nope", 0, []*board.Change{ch})
	if err == nil {
		t.Fatalf("Submit to an unknown session succeeded")
	}
	if first != 0 || ch.Event.Seq != 0 {
		t.Errorf("failed submit gave seq %d, set %d", first, ch.Event.Seq)
	}
	for _, table := range []string{"entities", "events", "participants"} {
		if n := count(t, db, table, "nope"); n != 0 {
			t.Errorf("%d rows in %s for an unknown session", n, table)
		}
	}
}

// TestEventsSince: every change of storetest.Rich comes back from the log
// with its exact time and its typed data. The conformance suite's
// EventsSince checks the same and paging and the log's order; this one
// adds times kept to the nanosecond (the suite allows a store
// microseconds).
func TestEventsSince(t *testing.T) {
	db := MustOpenDB(t)
	_, changes := storetest.Rich(t, db, "s1", "KODE01")
	all, err := db.EventsSince(context.Background(), "s1", 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	storetest.SameEvents(t, all, changes, time.Nanosecond)
}

func TestDeleteSessionCascades(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	storetest.Rich(t, db, "s1", "KODE01")
	storetest.Rich(t, db, "s2", "KODE02")
	tables := []string{"sessions", "participants", "entities", "events"}
	for _, table := range tables {
		if count(t, db, table, "s1") == 0 {
			t.Fatalf("no %s rows before the delete", table)
		}
	}
	before := map[string]int{}
	for _, table := range tables {
		before[table] = count(t, db, table, "s2")
	}
	if err := db.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		if n := count(t, db, table, "s1"); n != 0 {
			t.Errorf("%d rows of the deleted session left in %s", n, table)
		}
		if n := count(t, db, table, "s2"); n != before[table] {
			t.Errorf("the other session's %s went from %d to %d rows", table, before[table], n)
		}
	}
	if _, _, err := db.LoadState(ctx, "s1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("LoadState(deleted) = %v", err)
	}
	if _, _, err := db.SessionByCode(ctx, "KODE01"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SessionByCode(deleted) = %v", err)
	}
	if err := db.DeleteSession(ctx, "s1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteSession twice = %v, want ErrNotFound", err)
	}
	// The code is free again.
	storetest.Create(t, db, "s3", "KODE01")
}

// TestTokenHashWrittenOnce: later puts of a participant (role, removal)
// carry the hash in memory but never replace the stored one.
func TestTokenHashWrittenOnce(t *testing.T) {
	db := MustOpenDB(t)
	s := storetest.Create(t, db, "s1", "KODE01")
	s.Join("pa", "Ani", board.RoleNotulis)
	s.St.Participants["pa"].TokenHash = []byte("something else")
	s.Do("fac", board.Command{Type: "participant.setRole", ID: "pa", Role: "participant"})
	st, _, err := db.LoadState(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(st.Participants["pa"].TokenHash); got != "hash-pa" {
		t.Errorf("token hash = %q, want the first one", got)
	}
	db.catchUpNow()
	if st, _, err = db.LoadState(context.Background(), "s1"); err != nil || string(st.Participants["pa"].TokenHash) != "hash-pa" {
		t.Errorf("token hash from the tables = %q (%v), want the first one", st.Participants["pa"].TokenHash, err)
	}
	var raw string
	if err := db.reader.QueryRow(`SELECT data FROM participants WHERE id = 'pa'`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains([]byte(raw), []byte("hash")) {
		t.Errorf("participant JSON holds the hash: %s", raw)
	}
}

// TestLoadStateCorruptRows: a row the store cannot read fails the load
// with an error, never a half-built board.
func TestLoadStateCorruptRows(t *testing.T) {
	for name, stmt := range map[string]string{
		"unknown kind": `INSERT INTO entities (session_id, kind, id, data) VALUES ('s1', 'bogus', 'x', '{}')`,
		"bad entity":   `INSERT INTO entities (session_id, kind, id, data) VALUES ('s1', 'note', 'x', '{"text":5}')`,
		"bad session":  `UPDATE sessions SET data = 'not json' WHERE id = 's1'`,
		"bad person":   `UPDATE participants SET data = '[' WHERE id = 'fac'`,
	} {
		t.Run(name, func(t *testing.T) {
			db := MustOpenDB(t)
			storetest.Create(t, db, "s1", "KODE01")
			if err := db.write(context.Background(), func(tx *sql.Tx) error {
				_, err := tx.Exec(stmt)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if st, _, err := db.LoadState(context.Background(), "s1"); err == nil || st != nil {
				t.Errorf("LoadState = %v, %v; want an error", st, err)
			}
		})
	}
	db := MustOpenDB(t)
	storetest.Create(t, db, "s1", "KODE01")
	if err := db.write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO events (session_id, seq, type, payload, actor_id, at) VALUES ('s1', 1, 'note.added', '{"note":5}', 'fac', ?)`, t0.Format(timeFormat))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EventsSince(context.Background(), "s1", 0, 10); err == nil {
		t.Errorf("EventsSince over a corrupt payload succeeded")
	}
}
