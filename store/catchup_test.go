package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"syscall"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

// TestSubmitWritesOnlyTheLog: a change's commit appends its event row and
// nothing else; the load replays it; the catch-up writes the entity rows
// later, after which the load reads the same board from the tables.
func TestSubmitWritesOnlyTheLog(t *testing.T) {
	db := MustOpenDBManual(t)
	s := storetest.Create(t, db, "s1", "KODE01")
	db.catchUpNow()
	before := map[string]int{}
	for _, table := range []string{"entities"} {
		before[table] = count(t, db, table, "s1")
	}
	var data0 string
	if err := db.reader.QueryRow(`SELECT data FROM sessions WHERE id = 's1'`).Scan(&data0); err != nil {
		t.Fatal(err)
	}
	s.Join("pa", "Ani", board.RoleParticipant)
	n := s.Do("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("Antrean panjang")}).CreatedID
	s.Do("fac", board.Command{Type: "phase.set", Phase: "group"})
	for table, n0 := range before {
		if got := count(t, db, table, "s1"); got != n0 {
			t.Errorf("%s: %d rows right after the commits, want %d (only the log is written on the ack path)", table, got, n0)
		}
	}
	var data1 string
	if err := db.reader.QueryRow(`SELECT data FROM sessions WHERE id = 's1'`).Scan(&data1); err != nil || data1 != data0 {
		t.Errorf("sessions.data changed on the ack path (%v)", err)
	}
	var pid, ref, created string
	if err := db.reader.QueryRow(`SELECT participant_id, ref, created_id FROM events WHERE session_id = 's1' AND seq = 2`).Scan(&pid, &ref, &created); err != nil ||
		pid != "pa" || ref != "ref-1" || created != n {
		t.Errorf("event 2 carries ref (%q, %q, %q) %v, want (pa, ref-1, %s)", pid, ref, created, err, n)
	}
	if got := count(t, db, "participants", "s1"); got != 2 {
		t.Errorf("participants: %d rows, want 2 (a join writes its row at once)", got)
	}
	fromLog := dumpSession(t, db, "s1")
	st, _, err := db.LoadState(context.Background(), "s1")
	if err != nil || st.Notes[n] == nil || st.Session.Phase != board.PhaseGroup || st.Participants["pa"] == nil || st.Seq != 3 {
		t.Fatalf("load from the log: %+v %v", st, err)
	}
	db.catchUpNow()
	if got := count(t, db, "entities", "s1"); got != before["entities"]+1 {
		t.Errorf("entities after the catch-up = %d, want %d", got, before["entities"]+1)
	}
	var applied int64
	if err := db.reader.QueryRow(`SELECT seq FROM sessions WHERE id = 's1'`).Scan(&applied); err != nil || applied != 3 {
		t.Errorf("the snapshot's seq = %d %v, want 3", applied, err)
	}
	if fromTables := dumpSession(t, db, "s1"); !bytes.Equal(fromLog, fromTables) {
		t.Errorf("the board differs between log replay and tables\nlog:    %s\ntables: %s", fromLog, fromTables)
	}
	// The writer is back at synchronous=FULL after the catch-up, which
	// committed without an fsync.
	var sync int
	if err := db.writer.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		t.Errorf("writer's synchronous after a catch-up = %d %v, want 2 (FULL)", sync, err)
	}
}

// TestCatchUpLoadsIdentically: a rich session (deletes, votes, removals,
// settings, a participant's later puts) loads the same from the log alone,
// from the tables, and from tables partly caught up plus the log; and the
// same after a restart.
func TestCatchUpLoadsIdentically(t *testing.T) {
	db := MustOpenDBManual(t)
	s, _ := storetest.Rich(t, db, "s1", "KODE01")
	fromLog := dumpSession(t, db, "s1")
	db.catchUpNow()
	if got := dumpSession(t, db, "s1"); !bytes.Equal(got, fromLog) {
		t.Fatalf("caught up differs from the log\ntables: %s\nlog:    %s", got, fromLog)
	}
	s.Do("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("lagi")})
	s.Do("fac", board.Command{Type: "participant.setRole", ID: "pb", Role: "notulis"})
	s.Do("fac", board.Command{Type: "phase.set", Phase: "vote"})
	partly := dumpSession(t, db, "s1")
	st, _, err := db.LoadState(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Participants["pb"].Role != board.RoleNotulis || st.Session.Phase != board.PhaseVote || st.Seq != s.St.Seq {
		t.Errorf("partly caught up: role %s phase %s seq %d", st.Participants["pb"].Role, st.Session.Phase, st.Seq)
	}
	path := db.path
	MustClose(t, db)
	db = mustOpen(t, path, time.Hour)
	if got := dumpSession(t, db, "s1"); !bytes.Equal(got, partly) {
		t.Errorf("after a restart the board differs\n got: %s\nwant: %s", got, partly)
	}
}

// TestCatchUpAfterALostCatchUp: a crash may lose catch-up transactions
// (they commit without an fsync); the log still holds their rows and the
// next load and catch-up work from an older the snapshot's seq without change.
func TestCatchUpAfterALostCatchUp(t *testing.T) {
	db := MustOpenDBManual(t)
	s, _ := storetest.Rich(t, db, "s1", "KODE01")
	db.catchUpNow()
	want := dumpSession(t, db, "s1")
	// As if the last catch-ups were lost: the snapshot is back at seq 5.
	if err := db.write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE sessions SET seq = 5 WHERE id = 's1'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := dumpSession(t, db, "s1"); !bytes.Equal(got, want) {
		t.Errorf("replay over a newer snapshot differs\n got: %s\nwant: %s", got, want)
	}
	// A change now: the writer's backlog in memory starts after the log's
	// end, not at the snapshot; the catch-up reads the gap from the log.
	s.Do("fac", board.Command{Type: "phase.set", Phase: "group"})
	want = dumpSession(t, db, "s1")
	db.catchUpNow()
	var snap int64
	if err := db.reader.QueryRow(`SELECT seq FROM sessions WHERE id = 's1'`).Scan(&snap); err != nil || snap != s.St.Seq {
		t.Errorf("snapshot at %d (%v) after the catch-up, want %d", snap, err, s.St.Seq)
	}
	if got := dumpSession(t, db, "s1"); !bytes.Equal(got, want) {
		t.Errorf("after catching up over the gap the board differs\n got: %s\nwant: %s", got, want)
	}
	if err := db.write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE sessions SET seq = 5 WHERE id = 's1'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	path := db.path
	MustClose(t, db) // catches up again from seq 5
	db = mustOpen(t, path, time.Hour)
	if got := dumpSession(t, db, "s1"); !bytes.Equal(got, want) {
		t.Errorf("after a second catch-up the board differs\n got: %s\nwant: %s", got, want)
	}
}

// TestRefUniqueInTheLog: the database itself refuses a second event with
// the same participant's ref.
func TestRefUniqueInTheLog(t *testing.T) {
	db := MustOpenDBManual(t)
	s := storetest.Create(t, db, "s1", "KODE01")
	s.Do("fac", board.Command{Type: "note.add", Ref: "r1", ColumnID: "c1", Text: sp("x")})
	again := s.Decide("fac", board.Command{Type: "note.add", Ref: "r1", ColumnID: "c1", Text: sp("y")})
	if _, err := db.Submit(context.Background(), "s1", 0, []*board.Change{again}); err == nil {
		t.Fatalf("a second event with the same ref was stored")
	}
	if got := seqs(t, db, "s1"); len(got) != 1 {
		t.Errorf("log = %v, want one event", got)
	}
	// Another participant's r1 is its own.
	s.Join("pa", "Ani", board.RoleParticipant)
	s.Do("pa", board.Command{Type: "note.add", Ref: "r1", ColumnID: "c1", Text: sp("z")})
}

// BenchmarkLoadState5000: loading a 5,000-note session (the board's cap)
// with 20 participants, from caught-up tables and, the worst case, from
// the log alone (every change after the snapshot, as after a crash that
// lost all catch-ups). Target: ≤ 200 ms (docs/performance.md).
func BenchmarkLoadState5000(b *testing.B) {
	for _, from := range []string{"tables", "log"} {
		b.Run("from="+from, func(b *testing.B) {
			db := MustOpenDBManual(b)
			s := storetest.Create(b, db, "big", "KODE01")
			for i := 0; i < 19; i++ {
				s.Join(fmt.Sprintf("p%02d", i), "Peserta", board.RoleParticipant)
			}
			for i := 0; i < 50; i++ {
				batch := make([]*board.Change, 100)
				for j := range batch {
					who := fmt.Sprintf("p%02d", (i*100+j)%19)
					batch[j] = s.Decide(who, board.Command{Type: "note.add", ColumnID: []string{"c1", "c2", "c3"}[j%3],
						Text: sp(fmt.Sprintf("Antrean loket pelayanan terlalu panjang pada jam sibuk %d", i*100+j))})
				}
				s.Submit(batch...)
			}
			if from == "tables" {
				db.catchUpNow()
			}
			b.ResetTimer()
			cpu0 := cpuNow()
			for i := 0; i < b.N; i++ {
				st, refs, err := db.LoadState(context.Background(), "big")
				if err != nil || len(st.Notes) != 5000 || len(refs) < 5000 {
					b.Fatalf("%d notes, %d refs, %v", len(st.Notes), len(refs), err)
				}
			}
			// CPU time is steadier than the wall clock on a shared machine.
			b.ReportMetric(float64((cpuNow()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
