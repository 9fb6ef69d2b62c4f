package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"rembuk/board"
)

// WaitExpired waits, on the condition and not a sleep's length, until the
// session's lease has expired on the database's clock.
func WaitExpired(t *testing.T, db Store, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		node, _, err := db.LeaseOwner(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if node == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("lease of %s still held by %s after 10 s", id, node)
		}
		time.Sleep(time.Millisecond)
	}
}

func testLeases(t *testing.T, db Store) {
	ctx := context.Background()
	Create(t, db, "s1", "KODE01")
	Create(t, db, "s2", "KODE02")
	Create(t, db, "s3", "KODE03")
	if node, e, err := db.LeaseOwner(ctx, "s1"); node != "" || e != 0 || err != nil {
		t.Fatalf("LeaseOwner before any lease = %q %d %v", node, e, err)
	}
	e1, owner, err := db.AcquireLease(ctx, "s1", "A", time.Minute)
	if err != nil || e1 < 1 || owner != "" {
		t.Fatalf("A acquires s1 = %d %q %v, want an epoch", e1, owner, err)
	}
	if e, owner, err := db.AcquireLease(ctx, "s1", "B", time.Minute); err != nil || e != 0 || owner != "A" {
		t.Fatalf("B acquires s1 held by A = %d %q %v, want 0 A nil", e, owner, err)
	}
	e2, _, err := db.AcquireLease(ctx, "s1", "A", time.Minute)
	if err != nil || e2 != e1+1 {
		t.Fatalf("A takes its own lease again = %d %v, want %d", e2, err, e1+1)
	}
	if node, e, err := db.LeaseOwner(ctx, "s1"); err != nil || node != "A" || e != e2 {
		t.Fatalf("LeaseOwner(s1) = %q %d %v, want A %d", node, e, err, e2)
	}
	if _, _, err := db.AcquireLease(ctx, "s2", "B", time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AcquireLease(ctx, "s3", "A", time.Minute); err != nil {
		t.Fatal(err)
	}
	held, err := db.RenewLeases(ctx, "A", time.Minute)
	slices.Sort(held)
	if err != nil || !slices.Equal(held, []string{"s1", "s3"}) {
		t.Fatalf("RenewLeases(A) = %v %v, want [s1 s3]", held, err)
	}
	if err := db.ReleaseLease(ctx, "s1", "A", e1); err != nil {
		t.Fatal(err)
	}
	if node, _, _ := db.LeaseOwner(ctx, "s1"); node != "A" {
		t.Fatalf("after a release at an old epoch the owner is %q, want A", node)
	}
	if err := db.ReleaseLease(ctx, "s1", "B", e2); err != nil {
		t.Fatal(err)
	}
	if node, _, _ := db.LeaseOwner(ctx, "s1"); node != "A" {
		t.Fatalf("after B's release of A's lease the owner is %q, want A", node)
	}
	if err := db.ReleaseLease(ctx, "s1", "A", e2); err != nil {
		t.Fatal(err)
	}
	if node, _, _ := db.LeaseOwner(ctx, "s1"); node != "" {
		t.Fatalf("after release the owner is %q, want none", node)
	}
	if held, _ := db.RenewLeases(ctx, "A", time.Minute); !slices.Equal(held, []string{"s3"}) {
		t.Fatalf("A renews %v after releasing s1, want [s3]", held)
	}
	e3, owner, err := db.AcquireLease(ctx, "s1", "B", time.Minute)
	if err != nil || e3 != e2+1 || owner != "" {
		t.Fatalf("B after the release = %d %q %v, want %d", e3, owner, err, e2+1)
	}
	if _, _, err := db.AcquireLease(ctx, "nope", "A", time.Minute); board.ErrorCode(err) != board.CodeNotFound {
		t.Fatalf("lease of an unknown session: %v, want not_found", err)
	}
}

func testLeaseExpiry(t *testing.T, db Store) {
	ctx := context.Background()
	Create(t, db, "s1", "KODE01")
	e1, _, err := db.AcquireLease(ctx, "s1", "A", 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	WaitExpired(t, db, "s1")
	if held, _ := db.RenewLeases(ctx, "A", time.Minute); len(held) != 0 {
		t.Fatalf("A renews %v after its lease expired, want nothing", held)
	}
	e2, owner, err := db.AcquireLease(ctx, "s1", "B", time.Minute)
	if err != nil || e2 != e1+1 || owner != "" {
		t.Fatalf("B takes the expired lease = %d %q %v, want %d", e2, owner, err, e1+1)
	}
	if node, e, _ := db.LeaseOwner(ctx, "s1"); node != "B" || e != e2 {
		t.Fatalf("owner = %q %d, want B %d", node, e, e2)
	}
}

// testFenced: once another node took the lease, a Submit under the old
// epoch stores nothing of its batch and says fenced; the new owner goes
// on from the same seq; epoch 0 is never fenced.
func testFenced(t *testing.T, db Store) {
	ctx := context.Background()
	s := Create(t, db, "s1", "KODE01")
	s.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("sebelum")})
	eA, _, err := db.AcquireLease(ctx, "s1", "A", 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	s.Epoch = eA
	s.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("A")})
	WaitExpired(t, db, "s1")
	eB, _, err := db.AcquireLease(ctx, "s1", "B", time.Minute)
	if err != nil || eB <= eA {
		t.Fatalf("B takes over = %d %v", eB, err)
	}
	stale := []*board.Change{
		s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("basi 1")}),
		s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("basi 2")}),
	}
	first, err := db.Submit(ctx, "s1", eA, stale)
	if board.ErrorCode(err) != board.CodeFenced || first != 0 {
		t.Fatalf("stale owner's Submit = %d %v, want 0 fenced", first, err)
	}
	wantGapFree(t, db, "s1", 2)
	if first, err := db.Submit(ctx, "s1", eB, stale[:1]); err != nil || first != 3 {
		t.Fatalf("new owner's Submit = %d %v, want 3", first, err)
	}
	if first, err := db.Submit(ctx, "s1", 0, stale[1:]); err != nil || first != 4 {
		t.Fatalf("unfenced Submit = %d %v, want 4", first, err)
	}
	st, refs, err := db.LoadState(ctx, "s1")
	if err != nil || st.Seq != 4 || len(st.Notes) != 4 || len(refs) != 4 {
		t.Fatalf("LoadState = seq %d, %d notes, %d refs, %v; want 4, 4, 4", st.Seq, len(st.Notes), len(refs), err)
	}
	if err := db.Healthy(ctx); err != nil {
		t.Errorf("Healthy after a fenced Submit: %v", err)
	}
}
