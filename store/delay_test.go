package store

import (
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

// fakeTimer stands in for time.After in the writer: the test sees when
// the writer starts waiting (armed) and decides when the wait ends (fire).
type fakeTimer struct {
	armed chan time.Duration
	fire  chan time.Time
}

func useFakeTimer(db *DB) *fakeTimer {
	ft := &fakeTimer{armed: make(chan time.Duration, 1), fire: make(chan time.Time)}
	// Set before the first Submit of the test: the job's send on the
	// writer's channel orders it before the writer reads it.
	db.after = func(d time.Duration) <-chan time.Time {
		ft.armed <- d
		return ft.fire
	}
	return ft
}

// submitAsync stores changes from another goroutine; the channel gets
// Submit's result.
func submitAsync(s *storetest.Session, chs ...*board.Change) chan error {
	out := make(chan error, 1)
	go func() { out <- submitErr(s.DB, s.St.Session.ID, chs...) }()
	return out
}

// TestCommitDelayWaitsForAnnouncedChanges: a commit waits, bounded, for a
// room that announced a Submit, and both share one commit.
func TestCommitDelayWaitsForAnnouncedChanges(t *testing.T) {
	db := MustOpenDBManual(t)
	a := storetest.Create(t, db, "sa", "AAAAAA")
	b := storetest.Create(t, db, "sb", "BBBBBB")
	ft := useFakeTimer(db)
	db.Expect("sb")
	before := db.batches.Load()
	doneA := submitAsync(a, a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("a")}))
	select {
	case d := <-ft.armed: // the writer waits for sb
		if d <= 0 || d > commitDelayMax {
			t.Errorf("wait bound %v, want within (0, %v]", d, commitDelayMax)
		}
	case err := <-doneA:
		t.Fatalf("sa's change was committed alone (%v) while sb had announced a change", err)
	}
	select {
	case err := <-doneA:
		t.Fatalf("sa's change was committed (%v) while the writer waits for sb", err)
	default:
	}
	doneB := submitAsync(b, b.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("b")}))
	if err := <-doneA; err != nil {
		t.Fatal(err)
	}
	if err := <-doneB; err != nil {
		t.Fatal(err)
	}
	if got := db.batches.Load() - before; got != 1 {
		t.Errorf("%d commits for the two rooms' changes, want 1", got)
	}
	if n := db.inflight.Load(); n != 0 {
		t.Errorf("%d announcements left", n)
	}
}

// TestCommitDelayBounded: a room that announced a Submit and does not
// come holds the commit only until the timer fires.
func TestCommitDelayBounded(t *testing.T) {
	db := MustOpenDBManual(t)
	a := storetest.Create(t, db, "sa", "AAAAAA")
	storetest.Create(t, db, "sb", "BBBBBB")
	ft := useFakeTimer(db)
	db.Expect("sb")
	doneA := submitAsync(a, a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("a")}))
	select {
	case <-ft.armed:
	case err := <-doneA:
		t.Fatalf("sa's change was committed alone (%v) while sb had announced a change", err)
	}
	ft.fire <- time.Time{}
	if err := <-doneA; err != nil {
		t.Fatal(err)
	}
	if n := db.delays.Load(); n != 1 {
		t.Errorf("%d delayed commits, want 1", n)
	}
}

// TestNoCommitDelayAlone: nobody else announced work, or only the
// committing room itself did: the commit does not wait.
func TestNoCommitDelayAlone(t *testing.T) {
	db := MustOpenDBManual(t)
	a := storetest.Create(t, db, "sa", "AAAAAA")
	ft := useFakeTimer(db)
	a.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("a")})
	db.Expect("sa") // its own announcement ends when its batch is queued
	a.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("b")})
	select {
	case d := <-ft.armed:
		t.Errorf("the writer waited %v with no other room in flight", d)
	default:
	}
	if n := db.delays.Load(); n != 0 || db.inflight.Load() != 0 {
		t.Errorf("delays %d, in flight %d; want 0, 0", n, db.inflight.Load())
	}
}

// TestCommitDelayWaitsOnlyForThoseInFlight: a room that announces itself
// while the writer already waits does not extend the wait.
func TestCommitDelayWaitsOnlyForThoseInFlight(t *testing.T) {
	db := MustOpenDBManual(t)
	a := storetest.Create(t, db, "sa", "AAAAAA")
	b := storetest.Create(t, db, "sb", "BBBBBB")
	storetest.Create(t, db, "sc", "CCCCCC")
	ft := useFakeTimer(db)
	db.Expect("sb")
	before := db.batches.Load()
	doneA := submitAsync(a, a.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("a")}))
	select {
	case <-ft.armed:
	case err := <-doneA:
		t.Fatalf("sa's change was committed alone (%v) while sb had announced a change", err)
	}
	db.Expect("sc") // comes later, and never submits
	doneB := submitAsync(b, b.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("b")}))
	for _, done := range []chan error{doneA, doneB} {
		if err := <-done; err != nil { // no timer fired: sb was the one awaited
			t.Fatal(err)
		}
	}
	if got := db.batches.Load() - before; got != 1 {
		t.Errorf("%d commits, want 1", got)
	}
}
