package store

import (
	"context"
	"testing"

	"rembuk/board"
	"rembuk/store/storetest"
)

// A batch of one job runs without a savepoint (runAlone): when its second
// change is refused (a ref stored before), the first change's row must go
// too, the session's seq must not move, and the next Submit continues
// right after the last stored event.
func TestFailedJobAloneRollsBackWholly(t *testing.T) {
	db := MustOpenDB(t)
	s := storetest.Create(t, db, "sa", "KODE01")
	first := s.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("pertama"), Ref: "dup"})
	good := s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("baik")})
	bad := s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("ulang"), Ref: "dup"})
	if _, err := db.Submit(context.Background(), "sa", 0, []*board.Change{good, bad}); err == nil {
		t.Fatal("a batch holding a stored ref again was accepted")
	}
	before := first.Event.Seq
	wantGapFree(t, "sa", seqs(t, db, "sa"), int(before))
	next := s.Decide("fac", board.Command{Type: "timer.stop"})
	got, err := db.Submit(context.Background(), "sa", 0, []*board.Change{next})
	if err != nil {
		t.Fatal(err)
	}
	if got != before+1 {
		t.Errorf("next Submit got seq %d, want %d", got, before+1)
	}
	st, _, err := db.LoadState(context.Background(), "sa")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Notes[good.CreatedID]; ok {
		t.Errorf("the refused batch's first note was stored")
	}
	if err := db.Healthy(context.Background()); err != nil {
		t.Errorf("Healthy after a refused job: %v", err)
	}
}
