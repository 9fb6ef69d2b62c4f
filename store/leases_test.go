package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"rembuk/board"
)

// waitExpired waits (on the condition, not a sleep) until the session's
// lease has expired on the database clock.
func waitExpired(t *testing.T, db *DB, id string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		node, _, err := db.LeaseOwner(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if node == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("lease of %s held by %s after 5 s", id, node)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestLeaseAcquireHeldRenewRelease(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	createSession(t, db, "s1", "KODE01")
	createSession(t, db, "s2", "KODE02")

	e1, owner, err := db.AcquireLease(ctx, "s1", "A", time.Minute)
	if err != nil || e1 != 1 || owner != "" {
		t.Fatalf("A acquires s1 = %d %q %v, want 1 \"\" nil", e1, owner, err)
	}
	if e, owner, err := db.AcquireLease(ctx, "s1", "B", time.Minute); err != nil || e != 0 || owner != "A" {
		t.Fatalf("B acquires s1 held by A = %d %q %v, want 0 A nil", e, owner, err)
	}
	// Taking one's own lease again moves the epoch on.
	e2, _, err := db.AcquireLease(ctx, "s1", "A", time.Minute)
	if err != nil || e2 != e1+1 {
		t.Fatalf("A again = %d %v, want %d", e2, err, e1+1)
	}
	if node, e, err := db.LeaseOwner(ctx, "s1"); err != nil || node != "A" || e != e2 {
		t.Fatalf("LeaseOwner(s1) = %q %d %v, want A %d", node, e, err, e2)
	}
	if _, _, err := db.AcquireLease(ctx, "s2", "B", time.Minute); err != nil {
		t.Fatal(err)
	}
	held, err := db.RenewLeases(ctx, "A", time.Minute)
	if err != nil || !slices.Equal(held, []string{"s1"}) {
		t.Fatalf("RenewLeases(A) = %v %v, want [s1]", held, err)
	}
	// A release at an old epoch is not A's to make.
	if err := db.ReleaseLease(ctx, "s1", "A", e1); err != nil {
		t.Fatal(err)
	}
	if node, _, _ := db.LeaseOwner(ctx, "s1"); node != "A" {
		t.Fatalf("after a stale release the owner is %q, want A", node)
	}
	if err := db.ReleaseLease(ctx, "s1", "A", e2); err != nil {
		t.Fatal(err)
	}
	if node, _, _ := db.LeaseOwner(ctx, "s1"); node != "" {
		t.Fatalf("after release the owner is %q, want none", node)
	}
	if held, _ := db.RenewLeases(ctx, "A", time.Minute); len(held) != 0 {
		t.Fatalf("A renews %v after releasing, want nothing", held)
	}
	e3, owner, err := db.AcquireLease(ctx, "s1", "B", time.Minute)
	if err != nil || e3 != e2+1 || owner != "" {
		t.Fatalf("B after release = %d %q %v, want %d", e3, owner, err, e2+1)
	}
	if _, _, err := db.AcquireLease(ctx, "nope", "A", time.Minute); board.ErrorCode(err) != board.CodeNotFound {
		t.Fatalf("lease of an unknown session: %v, want not_found", err)
	}
}

func TestLeaseExpiresOnTheDatabaseClock(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	createSession(t, db, "s1", "KODE01")
	e1, _, err := db.AcquireLease(ctx, "s1", "A", 20*time.Millisecond)
	if err != nil || e1 != 1 {
		t.Fatalf("acquire = %d %v", e1, err)
	}
	waitExpired(t, db, "s1")
	// An expired lease is not renewed: A must stop the room.
	if held, _ := db.RenewLeases(ctx, "A", time.Minute); len(held) != 0 {
		t.Fatalf("A renews %v after expiry, want nothing", held)
	}
	e2, owner, err := db.AcquireLease(ctx, "s1", "B", time.Minute)
	if err != nil || e2 != 2 || owner != "" {
		t.Fatalf("B takes the expired lease = %d %q %v, want 2", e2, owner, err)
	}
}

// TestSubmitFenced: once another node took the lease, a Submit under the
// old epoch stores nothing of its batch and says fenced; the new owner's
// Submit goes on from the same seq; epoch 0 stays unfenced.
func TestSubmitFenced(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	s := createSession(t, db, "s1", "KODE01")
	s.do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("sebelum")})
	eA, _, err := db.AcquireLease(ctx, "s1", "A", 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if first, err := db.Submit(ctx, "s1", eA, []*board.Change{s.decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("A")})}); err != nil || first != 2 {
		t.Fatalf("owner's Submit = %d %v, want 2", first, err)
	}
	s.st.Commit(2)
	waitExpired(t, db, "s1")
	eB, _, err := db.AcquireLease(ctx, "s1", "B", time.Minute)
	if err != nil || eB != eA+1 {
		t.Fatalf("B takes over = %d %v", eB, err)
	}
	stale := []*board.Change{
		s.decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("basi 1")}),
		s.decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("basi 2")}),
	}
	first, err := db.Submit(ctx, "s1", eA, stale)
	if board.ErrorCode(err) != board.CodeFenced || first != 0 {
		t.Fatalf("stale owner's Submit = %d %v, want 0 fenced", first, err)
	}
	wantGapFree(t, "after the fenced batch", seqs(t, db, "s1"), 2)
	if first, err := db.Submit(ctx, "s1", eB, stale[:1]); err != nil || first != 3 {
		t.Fatalf("new owner's Submit = %d %v, want 3", first, err)
	}
	if first, err := db.Submit(ctx, "s1", 0, stale[1:]); err != nil || first != 4 {
		t.Fatalf("unfenced Submit = %d %v, want 4", first, err)
	}
	st, refs, err := db.LoadState(ctx, "s1")
	if err != nil || st.Seq != 4 || len(refs) != 4 {
		t.Fatalf("LoadState = seq %d, %d refs, %v; want 4, 4", st.Seq, len(refs), err)
	}
}
