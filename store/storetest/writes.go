package storetest

// The write path every store must keep: resume by seq, seqs without gaps,
// idempotent refs, a failed job failing alone.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"rembuk/board"
)

func testEventsSince(t *testing.T, db Store) {
	ctx := context.Background()
	s, changes := Rich(t, db, "s1", "KODE01")
	all, err := db.EventsSince(ctx, "s1", 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(all)) != s.St.Seq {
		t.Fatalf("%d events, want %d", len(all), s.St.Seq)
	}
	for i, ev := range all {
		if ev.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d", i, ev.Seq)
		}
	}
	SameEvents(t, all, changes, time.Microsecond)
	page, err := db.EventsSince(ctx, "s1", 3, 2)
	if err != nil || len(page) != 2 || page[0].Seq != 4 || page[1].Seq != 5 {
		t.Errorf("EventsSince(3, 2) = %+v, %v", page, err)
	}
	if rest, err := db.EventsSince(ctx, "s1", s.St.Seq, 10); err != nil || len(rest) != 0 {
		t.Errorf("EventsSince(last) = %d events, %v", len(rest), err)
	}
	if rest, err := db.EventsSince(ctx, "other", 0, 10); err != nil || len(rest) != 0 {
		t.Errorf("EventsSince(other session) = %d events, %v", len(rest), err)
	}
}

// SameEvents fails unless every change is in evs, the log read back, at
// its seq: its name, actor and typed data as Execute made them, its time
// to within precision (a store keeps at least microseconds).
func SameEvents(t *testing.T, evs []board.Event, changes []*board.Change, precision time.Duration) {
	t.Helper()
	bySeq := map[int64]board.Event{}
	for _, ev := range evs {
		bySeq[ev.Seq] = ev
	}
	for _, c := range changes {
		got, ok := bySeq[c.Event.Seq]
		if !ok {
			t.Fatalf("seq %d (%s) not in the log", c.Event.Seq, c.Event.Name)
		}
		if got.Name != c.Event.Name || got.ActorID != c.Event.ActorID ||
			!got.At.Truncate(precision).Equal(c.Event.At.Truncate(precision)) {
			t.Errorf("seq %d = %s by %s at %v, want %s by %s at %v", got.Seq, got.Name, got.ActorID, got.At,
				c.Event.Name, c.Event.ActorID, c.Event.At)
		}
		if reflect.TypeOf(got.Data) != reflect.TypeOf(c.Event.Data) {
			t.Errorf("seq %d %s data is %T, want %T", got.Seq, got.Name, got.Data, c.Event.Data)
			continue
		}
		gj, _ := json.Marshal(got.Data)
		wj, _ := json.Marshal(c.Event.Data)
		if !bytes.Equal(gj, wj) {
			t.Errorf("seq %d %s data = %s, want %s", got.Seq, got.Name, gj, wj)
		}
	}
}

// wantGapFree fails unless the session's log is exactly 1..n.
func wantGapFree(t *testing.T, db Store, id string, n int) {
	t.Helper()
	evs, err := db.EventsSince(context.Background(), id, 0, n+100)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != n {
		t.Fatalf("%s: %d events, want %d", id, len(evs), n)
	}
	for i, ev := range evs {
		if ev.Seq != int64(i+1) {
			t.Fatalf("%s: event %d has seq %d", id, i, ev.Seq)
		}
	}
}

// testSeqWithoutGaps: rooms submit at once, a batch of several changes
// each time; every session's log is 1..n in its own order.
func testSeqWithoutGaps(t *testing.T, db Store) {
	ctx := context.Background()
	const sessions, rounds = 8, 10
	ss := make([]*Session, sessions)
	for i := range ss {
		ss[i] = Create(t, db, fmt.Sprintf("s%02d", i), fmt.Sprintf("K%05d", i))
	}
	var wg sync.WaitGroup
	errc := make(chan error, sessions)
	for _, s := range ss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < rounds; j++ {
				var batch []*board.Change
				for k := 0; k <= j%3; k++ {
					text := fmt.Sprintf("catatan %d.%d", j, k)
					ch, err := s.Execute("fac", board.Command{Type: "note.add", Ref: fmt.Sprintf("r%d.%d", j, k), ColumnID: "c1", Text: &text})
					if err != nil {
						errc <- err
						return
					}
					batch = append(batch, ch)
				}
				s.DB.Expect(s.St.Session.ID)
				first, err := db.Submit(ctx, s.St.Session.ID, 0, batch)
				if err != nil || first != s.St.Seq+1 {
					errc <- fmt.Errorf("%s round %d: first %d, %v; want %d", s.St.Session.ID, j, first, err, s.St.Seq+1)
					return
				}
				s.St.Commit(first + int64(len(batch)) - 1)
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	for _, s := range ss {
		wantGapFree(t, db, s.St.Session.ID, int(s.St.Seq))
		st, refs, err := db.LoadState(ctx, s.St.Session.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Notes) != int(s.St.Seq) || len(refs) != int(s.St.Seq) || st.Seq != s.St.Seq {
			t.Errorf("%s: %d notes, %d refs, seq %d; want %d", s.St.Session.ID, len(st.Notes), len(refs), st.Seq, s.St.Seq)
		}
	}
	// An empty batch stores nothing.
	if _, err := db.Submit(ctx, "s00", 0, nil); err != nil {
		t.Errorf("Submit(empty) = %v", err)
	}
	wantGapFree(t, db, "s00", int(ss[0].St.Seq))
}

// testRefs: a ref is kept with its first outcome; the same ref stored
// again by its owner is refused and stores nothing, while another
// participant may use the same ref.
func testRefs(t *testing.T, db Store) {
	ctx := context.Background()
	s := Create(t, db, "s1", "KODE01")
	s.Join("pa", "Ani", board.RoleParticipant)
	first := s.Do("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("pertama"), Ref: "dup"})
	again := s.Decide("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("ulang"), Ref: "dup"})
	if n, err := db.Submit(ctx, "s1", 0, []*board.Change{again}); err == nil {
		t.Fatalf("a ref stored twice (seq %d)", n)
	}
	other := s.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("fasilitator"), Ref: "dup"})
	if other.Event.Seq != first.Event.Seq+1 {
		t.Errorf("next seq after the refused ref = %d, want %d", other.Event.Seq, first.Event.Seq+1)
	}
	st, refs, err := db.LoadState(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Notes[again.CreatedID]; ok {
		t.Errorf("the refused change's note was stored")
	}
	if ack := refs[board.RefKey("pa", "dup")]; ack != (board.Ack{Seq: first.Event.Seq, CreatedID: first.CreatedID}) {
		t.Errorf("ref dup of pa = %+v, want its first outcome", ack)
	}
	if ack := refs[board.RefKey("fac", "dup")]; ack != (board.Ack{Seq: other.Event.Seq, CreatedID: other.CreatedID}) {
		t.Errorf("ref dup of fac = %+v", ack)
	}
	// A change without a ref (a join) keeps none.
	if len(refs) != 2 {
		t.Errorf("refs = %v, want 2", refs)
	}
	if err := db.Healthy(ctx); err != nil {
		t.Errorf("Healthy after a refused job: %v", err)
	}
}

// testFailedJobAlone: a job that fails (a ref stored again) submitted
// together with good ones fails alone, whether or not the store put them
// in one transaction.
func testFailedJobAlone(t *testing.T, db Store) {
	ctx := context.Background()
	const n = 6
	ss := make([]*Session, n)
	for i := range ss {
		ss[i] = Create(t, db, fmt.Sprintf("s%d", i), fmt.Sprintf("K%05d", i))
		ss[i].Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("pertama"), Ref: "dup"})
	}
	bad := ss[0].Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("ulang"), Ref: "dup"})
	for round := 0; round < 5; round++ {
		goods := make([]*board.Change, n)
		for i, s := range ss {
			goods[i] = s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c2", Text: sp(fmt.Sprintf("baik %d", round))})
		}
		var wg sync.WaitGroup
		errs := make([]error, n+1)
		firsts := make([]int64, n+1)
		for i := 0; i <= n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == n {
					firsts[i], errs[i] = db.Submit(ctx, "s0", 0, []*board.Change{bad})
					return
				}
				firsts[i], errs[i] = db.Submit(ctx, ss[i].St.Session.ID, 0, []*board.Change{goods[i]})
			}()
		}
		wg.Wait()
		if errs[n] == nil || firsts[n] != 0 {
			t.Fatalf("round %d: the stale ref was stored (%d)", round, firsts[n])
		}
		for i, s := range ss {
			if errs[i] != nil || firsts[i] != s.St.Seq+1 {
				t.Fatalf("round %d: good job of %s = %d %v, want %d", round, s.St.Session.ID, firsts[i], errs[i], s.St.Seq+1)
			}
			s.St.Commit(firsts[i])
		}
	}
	for _, s := range ss {
		wantGapFree(t, db, s.St.Session.ID, int(s.St.Seq))
	}
}

func testSubmitUnknown(t *testing.T, db Store) {
	ctx := context.Background()
	s := Create(t, db, "s1", "KODE01")
	ch := s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("x")})
	if first, err := db.Submit(ctx, "nope", 0, []*board.Change{ch}); err == nil || first != 0 {
		t.Fatalf("Submit to an unknown session = %d %v, want an error", first, err)
	}
	if evs, err := db.EventsSince(ctx, "nope", 0, 10); err != nil || len(evs) != 0 {
		t.Errorf("unknown session's log = %v %v", evs, err)
	}
	if err := db.Healthy(ctx); err != nil {
		t.Errorf("a failed job made the store unhealthy: %v", err)
	}
	s.Submit(ch) // the store goes on
}
