package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

func sp(s string) *string { return &s }

// waitFor waits, on the condition, up to 10 s.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// holdWriter makes the writer's next batch wait: a transaction locks the
// row of session id, and a Submit to it is sent; it returns once the
// writer's statement waits for that lock, and a release that lets it go
// on and returns the held Submit's error.
func holdWriter(t *testing.T, db *DB, s *storetest.Session) (release func() error) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE`, s.St.Session.ID); err != nil {
		t.Fatal(err)
	}
	ch := s.Decide("fac", board.Command{Type: "timer.stop"})
	errc := make(chan error, 1)
	go func() {
		_, err := db.Submit(ctx, s.St.Session.ID, 0, []*board.Change{ch})
		errc <- err
	}()
	waitFor(t, "the writer to wait for the lock", func() bool {
		var n int
		err := db.pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		return err == nil && n > 0
	})
	return func() error {
		tx.Rollback(ctx)
		return <-errc
	}
}

type outcome struct {
	first int64
	err   error
}

// submitQueued sends each job's Submit in order, waiting until it is
// queued, so that the held writer takes them as one batch.
func submitQueued(t *testing.T, db *DB, jobs []func() (int64, error)) []chan outcome {
	t.Helper()
	outs := make([]chan outcome, len(jobs))
	for i, fn := range jobs {
		outs[i] = make(chan outcome, 1)
		go func() {
			first, err := fn()
			outs[i] <- outcome{first, err}
		}()
		waitFor(t, fmt.Sprintf("job %d queued", i), func() bool { return db.q.Waiting() == i+1 })
	}
	return outs
}

// TestFailedJobFailsAloneInItsBatch: a job whose statement fails (a ref
// stored again) in the same batch as good ones: the batch runs again with
// savepoints, the good jobs commit with their seqs, the bad one alone fails.
func TestFailedJobFailsAloneInItsBatch(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	x := storetest.Create(t, db, "sx", "XXXXXX")
	a := storetest.Create(t, db, "sa", "AAAAAA")
	b := storetest.Create(t, db, "sb", "BBBBBB")
	first := a.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("pertama"), Ref: "dup"})
	good1 := a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("baik 1")})
	bad := a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("ulang"), Ref: "dup"})
	good2 := b.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("baik 2")})

	release := holdWriter(t, db, x)
	outs := submitQueued(t, db, []func() (int64, error){
		func() (int64, error) { return db.Submit(ctx, "sa", 0, []*board.Change{good1}) },
		func() (int64, error) { return db.Submit(ctx, "sa", 0, []*board.Change{bad}) },
		func() (int64, error) { return db.Submit(ctx, "sb", 0, []*board.Change{good2}) },
	})
	if err := release(); err != nil {
		t.Fatalf("held job: %v", err)
	}
	o1, oBad, o2 := <-outs[0], <-outs[1], <-outs[2]
	if o1.err != nil || o2.err != nil || o1.first != 2 || o2.first != 1 {
		t.Errorf("good jobs = %+v %+v, want seq 2 and 1", o1, o2)
	}
	if oBad.err == nil || oBad.first != 0 {
		t.Errorf("the ref stored twice = %+v, want an error", oBad)
	}
	if n := db.retried.Load(); n != 1 {
		t.Errorf("batches retried with savepoints = %d, want 1", n)
	}
	st, refs, err := db.LoadState(ctx, "sa")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Notes[bad.CreatedID]; ok || st.Seq != 2 {
		t.Errorf("the failed job's note was stored (seq %d)", st.Seq)
	}
	if ack := refs[board.RefKey("fac", "dup")]; ack != (board.Ack{Seq: 1, CreatedID: first.CreatedID}) {
		t.Errorf("ref dup = %+v, want its first outcome", ack)
	}
}

// TestFencedJobInABatch: a fenced job writes nothing and answers fenced;
// it fails no statement, so the batch around it commits as it is.
func TestFencedJobInABatch(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	x := storetest.Create(t, db, "sx", "XXXXXX")
	a := storetest.Create(t, db, "sa", "AAAAAA")
	b := storetest.Create(t, db, "sb", "BBBBBB")
	old, _, err := db.AcquireLease(ctx, "sb", "A", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AcquireLease(ctx, "sb", "A", time.Minute); err != nil { // a new epoch
		t.Fatal(err)
	}
	good := a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("baik")})
	stale := b.Decide("fac", board.Command{Type: "session.rotateCode"})
	release := holdWriter(t, db, x)
	outs := submitQueued(t, db, []func() (int64, error){
		func() (int64, error) { return db.Submit(ctx, "sb", old, []*board.Change{stale}) },
		func() (int64, error) { return db.Submit(ctx, "sa", 0, []*board.Change{good}) },
	})
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if o := <-outs[0]; board.ErrorCode(o.err) != board.CodeFenced || o.first != 0 {
		t.Errorf("stale job = %+v, want fenced", o)
	}
	if o := <-outs[1]; o.err != nil || o.first != 1 {
		t.Errorf("good job = %+v, want seq 1", o)
	}
	if n := db.retried.Load(); n != 0 {
		t.Errorf("batches retried = %d, want 0", n)
	}
	// Neither the log nor the join code moved.
	if id, _, err := db.SessionByCode(ctx, "BBBBBB"); err != nil || id != "sb" {
		t.Errorf("join code after the fenced rotation: %q %v", id, err)
	}
	if evs, _ := db.EventsSince(ctx, "sb", 0, 10); len(evs) != 0 {
		t.Errorf("fenced job wrote %d events", len(evs))
	}
}
