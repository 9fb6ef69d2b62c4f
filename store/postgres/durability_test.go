package postgres

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

// TestSynchronousCommit: every connection of the store commits with
// synchronous_commit on, whatever the server's default.
func TestSynchronousCommit(t *testing.T) {
	db := openDB(t)
	var v string
	if err := db.pool.QueryRow(context.Background(), `SHOW synchronous_commit`).Scan(&v); err != nil || v != "on" {
		t.Fatalf("synchronous_commit = %q %v, want on", v, err)
	}
}

// TestMigrationsRecorded: the embedded migrations are recorded by name and
// opening again applies nothing twice.
func TestMigrationsRecorded(t *testing.T) {
	ctx := context.Background()
	url := pg.Database(t)
	want := []string{}
	names, _ := migrations.ReadDir("migrations")
	for _, n := range names {
		want = append(want, n.Name())
	}
	for i := 0; i < 2; i++ {
		db, err := Open(ctx, url, nil)
		if err != nil {
			t.Fatalf("open #%d: %v", i, err)
		}
		got, err := db.Migrations(ctx)
		db.Close()
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("open #%d: migrations %v %v, want %v", i, got, err, want)
		}
	}
}

// TestCrashRestart: PostgreSQL stopped as by a crash (pg_ctl -m
// immediate) keeps every acknowledged change; the store's pool comes back
// to it and the seq goes on without a gap.
func TestCrashRestart(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	s := storetest.Create(t, db, "s1", "KODE01")
	for i := 0; i < 20; i++ {
		s.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp(fmt.Sprintf("catatan %d", i))})
	}
	if err := pg.Get(t).Restart("immediate"); err != nil {
		t.Fatal(err)
	}
	ch := s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("sesudah")})
	deadline := time.Now().Add(30 * time.Second)
	for {
		first, err := db.Submit(ctx, "s1", 0, []*board.Change{ch})
		if err == nil {
			if first != 21 {
				t.Fatalf("first seq after the restart = %d, want 21", first)
			}
			break
		}
		if board.ErrorCode(err) != board.CodeUnavailable || time.Now().After(deadline) {
			t.Fatalf("Submit after the restart: %v", err)
		}
	}
	st, refs, err := db.LoadState(ctx, "s1")
	if err != nil || st.Seq != 21 || len(st.Notes) != 21 || len(refs) != 21 {
		t.Fatalf("after the restart: seq %d, %d notes, %d refs, %v", st.Seq, len(st.Notes), len(refs), err)
	}
	if err := db.Healthy(ctx); err != nil {
		t.Errorf("Healthy = %v", err)
	}
}
