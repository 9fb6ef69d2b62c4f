package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

// embeddedMigrations lists the migration files in the binary.
func embeddedMigrations(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	sort.Strings(names)
	return names
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	want := embeddedMigrations(t)
	if len(want) == 0 {
		t.Fatal("no migrations embedded")
	}
	got, err := db.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Migrations = %v, want %v", got, want)
	}
	for _, table := range []string{"sessions", "participants", "entities", "events", "schema_migrations"} {
		var n int
		if err := db.reader.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: %d %v", table, n, err)
		}
	}
	applied := map[string]string{}
	rows, err := db.reader.Query(`SELECT name, applied_at FROM schema_migrations`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n, at string
		if err := rows.Scan(&n, &at); err != nil {
			t.Fatal(err)
		}
		if _, err := time.Parse(timeFormat, at); err != nil {
			t.Errorf("applied_at %q: %v", at, err)
		}
		applied[n] = at
	}
	rows.Close()

	// Reopening applies nothing again: the same rows, the same times, and
	// the data written in between is still there.
	storetest.Create(t, db, "s1", "KODE01")
	path := db.path
	MustClose(t, db)
	time.Sleep(2 * time.Millisecond)
	db = MustOpenDBAt(t, path)
	got, err = db.Migrations(ctx)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after reopen Migrations = %v %v, want %v", got, err, want)
	}
	for name, at := range applied {
		var again string
		if err := db.reader.QueryRow(`SELECT applied_at FROM schema_migrations WHERE name = ?`, name).Scan(&again); err != nil || again != at {
			t.Errorf("migration %s applied_at %q -> %q (%v): reapplied", name, at, again, err)
		}
	}
	if ok, err := db.SessionExists(ctx, "s1"); !ok || err != nil {
		t.Errorf("session lost on reopen: %v %v", ok, err)
	}
}

func TestOpenPragmas(t *testing.T) {
	db := MustOpenDB(t)
	if _, err := os.Stat(db.path); err != nil {
		t.Fatalf("database file: %v", err)
	}
	for _, c := range []struct {
		db     *sql.DB
		pragma string
		want   string
	}{
		{db.writer, "journal_mode", "wal"},
		{db.writer, "foreign_keys", "1"},
		{db.writer, "synchronous", "2"},
		{db.reader, "foreign_keys", "1"},
		{db.reader, "journal_mode", "wal"},
	} {
		var got string
		if err := c.db.QueryRow(`PRAGMA ` + c.pragma).Scan(&got); err != nil || got != c.want {
			t.Errorf("PRAGMA %s = %q %v, want %q", c.pragma, got, err, c.want)
		}
	}
	if err := db.Healthy(context.Background()); err != nil {
		t.Errorf("Healthy = %v", err)
	}
}

func TestOpenFailsOnBadPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(filepath.Join(file, "sub", "rembuk.db"), nil); err == nil {
		db.Close()
		t.Errorf("Open under a file succeeded")
	}
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte("this is not a database, not at all, no sir"), 0o644); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(garbage, nil); err == nil {
		db.Close()
		t.Errorf("Open of a non-database succeeded")
	}
}

// blockWriter hands the writer a job that holds it until release is
// closed, so the jobs queued meanwhile go into one batch.
func blockWriter(t *testing.T, db *DB) (release func(), done <-chan error) {
	t.Helper()
	started := make(chan struct{})
	hold := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- db.write(context.Background(), func(tx *sql.Tx) error {
			close(started)
			<-hold
			return nil
		})
	}()
	<-started
	return func() { close(hold) }, errc
}

// waitQueued waits until n jobs wait for the writer.
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for db.q.Waiting() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs queued, want %d", db.q.Waiting(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestFailingJobFailsAlone: in one group commit, a job that breaks a
// primary key (a ref sent again) fails; the jobs before and after it, of
// the same session and another, are stored, and the seqs stay gap-free.
func TestFailingJobFailsAlone(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	a := storetest.Create(t, db, "sa", "AAAAAA")
	b := storetest.Create(t, db, "sb", "BBBBBB")
	first := a.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("pertama"), Ref: "dup"})

	good1 := a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("baik 1")})
	bad := a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("ulang"), Ref: "dup"})
	good2 := b.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("baik 2")})

	release, blocked := blockWriter(t, db)
	type outcome struct {
		first int64
		err   error
	}
	outs := make([]chan outcome, 3)
	for i, job := range []struct {
		session string
		ch      *board.Change
	}{{"sa", good1}, {"sa", bad}, {"sb", good2}} {
		outs[i] = make(chan outcome, 1)
		go func() {
			first, err := db.Submit(ctx, job.session, 0, []*board.Change{job.ch})
			outs[i] <- outcome{first, err}
		}()
		waitQueued(t, db, i+1) // keep the order: good1, bad, good2
	}
	release()
	if err := <-blocked; err != nil {
		t.Fatalf("blocking job: %v", err)
	}
	o1, oBad, o2 := <-outs[0], <-outs[1], <-outs[2]
	if o1.err != nil {
		t.Errorf("first good job: %v", o1.err)
	}
	if oBad.err == nil {
		t.Errorf("duplicate ref stored")
	}
	if o2.err != nil {
		t.Errorf("second good job: %v", o2.err)
	}
	if first.Event.Seq != 1 || o1.first != 2 || o2.first != 1 {
		t.Errorf("seqs: first %d, good1 %d, good2 %d; want 1, 2, 1", first.Event.Seq, o1.first, o2.first)
	}
	if oBad.first != 0 || bad.Event.Seq != 0 {
		t.Errorf("failed job's change got seq %d (returned %d)", bad.Event.Seq, oBad.first)
	}
	wantGapFree(t, "sa", seqs(t, db, "sa"), 2)
	wantGapFree(t, "sb", seqs(t, db, "sb"), 1)
	st, refs, err := db.LoadState(ctx, "sa")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Notes[bad.CreatedID]; ok {
		t.Errorf("the failed job's note was stored")
	}
	if _, ok := st.Notes[good1.CreatedID]; !ok {
		t.Errorf("the good job's note is missing")
	}
	if ack := refs[board.RefKey("fac", "dup")]; ack != (board.Ack{Seq: 1, CreatedID: first.CreatedID}) {
		t.Errorf("ref dup = %+v, want the first outcome", ack)
	}
	// The store goes on.
	if err := db.Healthy(ctx); err != nil {
		t.Errorf("Healthy after a failed job: %v", err)
	}
	a.St.Commit(2)
	if ch := a.Do("fac", board.Command{Type: "timer.stop"}); ch.Event.Seq != 3 {
		t.Errorf("next seq = %d, want 3", ch.Event.Seq)
	}
}

// TestConcurrentSubmit: many rooms submit at once; every write succeeds and
// every session's log is gap-free and in its own order.
func TestConcurrentSubmit(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	const sessions, perSession = 24, 30
	ss := make([]*storetest.Session, sessions)
	for i := range ss {
		ss[i] = storetest.Create(t, db, fmt.Sprintf("s%02d", i), fmt.Sprintf("K%05d", i))
	}
	var wg sync.WaitGroup
	errc := make(chan error, sessions*perSession)
	for _, s := range ss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < perSession; j++ {
				text := fmt.Sprintf("catatan %d", j)
				ch, err := s.Execute("fac", board.Command{Type: "note.add", Ref: fmt.Sprintf("r%d", j), ColumnID: "c1", Text: &text})
				if err != nil {
					errc <- err
					return
				}
				seq, err := db.Submit(ctx, s.St.Session.ID, 0, []*board.Change{ch})
				if err != nil {
					errc <- fmt.Errorf("%s #%d: %w", s.St.Session.ID, j, err)
					return
				}
				if seq != int64(j+1) {
					errc <- fmt.Errorf("%s #%d got seq %d", s.St.Session.ID, j, seq)
				}
				s.St.Commit(seq)
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	for _, s := range ss {
		wantGapFree(t, s.St.Session.ID, seqs(t, db, s.St.Session.ID), perSession)
		st, refs, err := db.LoadState(ctx, s.St.Session.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Notes) != perSession || len(refs) != perSession || st.Seq != perSession {
			t.Errorf("%s: %d notes, %d refs, seq %d", s.St.Session.ID, len(st.Notes), len(refs), st.Seq)
		}
	}
}

// TestConcurrentSubmitOneSession: even submits racing for one session get
// distinct, gap-free seqs (the seq is taken inside the transaction).
func TestConcurrentSubmitOneSession(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	storetest.Create(t, db, "s1", "KODE01")
	const workers, each = 8, 25
	var mu sync.Mutex
	got := map[int64]bool{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < each; j++ {
				batch := []*board.Change{
					{Event: board.Event{Name: "timer.changed", Data: board.TimerData{}, ActorID: "fac", At: t0}},
					{Event: board.Event{Name: "timer.changed", Data: board.TimerData{}, ActorID: "fac", At: t0}},
				}
				first, err := db.Submit(ctx, "s1", 0, batch)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for i := range batch {
					seq := first + int64(i)
					if got[seq] {
						t.Errorf("seq %d given twice", seq)
					}
					got[seq] = true
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	wantGapFree(t, "s1", seqs(t, db, "s1"), workers*each*2)
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	s, _ := storetest.Rich(t, db, "s1", "KODE01")
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if err := db.Backup(ctx, out); err == nil {
		t.Errorf("Backup over an existing file succeeded")
	}
	// Writes after the backup do not reach it.
	s.Do("fac", board.Command{Type: "timer.stop"})

	copyDB := MustOpenDBAt(t, out)
	res, err := copyDB.IntegrityCheck(ctx)
	if err != nil || res != "ok" {
		t.Errorf("integrity_check of the backup = %q %v", res, err)
	}
	st, _, err := copyDB.LoadState(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != s.St.Seq-1 || len(st.Notes) != len(s.St.Notes) {
		t.Errorf("backup: seq %d, %d notes; want %d, %d", st.Seq, len(st.Notes), s.St.Seq-1, len(s.St.Notes))
	}
	if got, _ := copyDB.Migrations(ctx); len(got) != len(embeddedMigrations(t)) {
		t.Errorf("backup migrations = %v", got)
	}
	if res, err := db.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Errorf("integrity_check of the live db = %q %v", res, err)
	}
}

// TestWriteAfterClose: a write after Close is refused at once, never left
// waiting for a writer that has stopped.
func TestWriteAfterClose(t *testing.T) {
	db := MustOpenDB(t)
	s := storetest.Create(t, db, "s1", "KODE01")
	ch := s.Decide("fac", board.Command{Type: "timer.stop"})
	MustClose(t, db)
	for i := 0; i < 200; i++ {
		done := make(chan error, 1)
		go func() { done <- submitErr(db, "s1", ch) }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrUnavailable) {
				t.Fatalf("Submit after Close = %v, want ErrUnavailable", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Submit after Close hangs (attempt %d)", i)
		}
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// TestCloseFinishesQueuedWrites: what was queued before Close is stored.
func TestCloseFinishesQueuedWrites(t *testing.T) {
	db := MustOpenDB(t)
	s := storetest.Create(t, db, "s1", "KODE01")
	release, blocked := blockWriter(t, db)
	const n = 5
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		ch := s.Decide("fac", board.Command{Type: "timer.stop"})
		go func() { errs <- submitErr(db, "s1", ch) }()
		waitQueued(t, db, i+1)
	}
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	time.Sleep(20 * time.Millisecond)
	release()
	if err := <-blocked; err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Errorf("queued write: %v", err)
		}
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	db = MustOpenDBAt(t, db.path)
	wantGapFree(t, "s1", seqs(t, db, "s1"), n)
}

func TestSubmitContextCancelled(t *testing.T) {
	db := MustOpenDB(t)
	s := storetest.Create(t, db, "s1", "KODE01")
	release, blocked := blockWriter(t, db)
	defer func() { release(); <-blocked }()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ch := s.Decide("fac", board.Command{Type: "timer.stop"})
	if _, err := db.Submit(ctx, "s1", 0, []*board.Change{ch}); !errors.Is(err, context.Canceled) {
		t.Errorf("Submit with a cancelled context = %v", err)
	}
}

// TestFailedCommitRefusesWrites: after a commit fails, the store refuses
// every write and reports unhealthy rather than retry (fsyncgate).
func TestFailedCommitRefusesWrites(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	s := storetest.Create(t, db, "s1", "KODE01")
	// Break the writer under the store: the next batch cannot begin.
	if err := db.writer.Close(); err != nil {
		t.Fatal(err)
	}
	ch := s.Decide("fac", board.Command{Type: "timer.stop"})
	if _, err := db.Submit(ctx, "s1", 0, []*board.Change{ch}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Submit on a broken writer = %v, want ErrUnavailable", err)
	}
	if err := db.Healthy(ctx); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Healthy after a failed commit = %v", err)
	}
	if _, err := db.Submit(ctx, "s1", 0, []*board.Change{ch}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("second Submit = %v, want ErrUnavailable", err)
	}
	if board.ErrorCode(ErrUnavailable) != board.CodeUnavailable {
		t.Errorf("ErrUnavailable code = %q", board.ErrorCode(ErrUnavailable))
	}
}
