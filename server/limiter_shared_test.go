package server

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"rembuk/store"
)

// Two nodes' limiters over one store count one address together; when the
// store cannot answer, each counts alone in its memory (no worse than one
// node) instead of letting everything through or refusing everything.
func TestSharedWindowLimiter(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "rembuk.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	a := newWindowLimiter(3, time.Minute).sharedBy(db, "joins", log)
	b := newWindowLimiter(3, time.Minute).sharedBy(db, "joins", log)
	t0 := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	const ip = "198.51.100.4"
	a.record(ip, t0)
	b.record(ip, t0.Add(time.Second))
	if a.blocked(ip, t0.Add(2*time.Second)) || b.blocked(ip, t0.Add(2*time.Second)) {
		t.Fatal("blocked after 2 of 3")
	}
	if !a.take(ip, t0.Add(2*time.Second)) || b.take(ip, t0.Add(3*time.Second)) {
		t.Fatal("the 3rd hit on a must pass and the 4th on b must not")
	}
	if !b.blocked(ip, t0.Add(3*time.Second)) {
		t.Fatal("b does not see a's hits")
	}
	if d := b.retryAfter(ip, t0.Add(3*time.Second)); d != 57*time.Second {
		t.Fatalf("retryAfter %v, want 57s (the first hit, on a, leaves at t0+60s)", d)
	}
	if b.blocked("198.51.100.5", t0) {
		t.Fatal("another address blocked")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if !a.take(ip, t0.Add(4*time.Second)) {
			t.Fatalf("store closed: take %d refused, want a's own memory to count", i+1)
		}
	}
	if a.take(ip, t0.Add(4*time.Second)) || !a.blocked(ip, t0.Add(4*time.Second)) {
		t.Fatal("store closed: a's 4th take passed")
	}
}
