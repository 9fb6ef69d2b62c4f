package server

import (
	"fmt"
	"testing"
	"time"
)

// The per-person limiter forgets a person once their bucket has refilled
// (2 s at 20/s, burst 40), so it holds only those who sent lately, and a
// spray of people past maxBuckets is cut back.
func TestRateLimiterEvicts(t *testing.T) {
	l := newRateLimiter(commandRate, commandBurst)
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 1000; i++ {
		l.allow(fmt.Sprint("p", i), t0)
	}
	if n := l.size(); n != 1000 {
		t.Fatalf("%d buckets after 1000 people, want 1000", n)
	}
	// Within the refill time they are kept (their tokens matter).
	l.allow("p0", t0.Add(time.Second))
	if n := l.size(); n != 1000 {
		t.Fatalf("%d buckets a second later, want 1000", n)
	}
	// Once refilled they are the same as new, and go.
	l.allow("late", t0.Add(2500*time.Millisecond))
	if n := l.size(); n != 2 {
		t.Fatalf("%d buckets after the refill time, want 2 (p0 sent at +1 s, and late)", n)
	}
	// A bucket taken away and made again starts full: nobody loses by it.
	for i := 0; i < commandBurst; i++ {
		if !l.allow("fresh", t0.Add(10*time.Second)) {
			t.Fatalf("command %d of a fresh burst refused", i)
		}
	}
	if l.allow("fresh", t0.Add(10*time.Second)) {
		t.Fatalf("command 41 at one instant allowed")
	}
	// Past the hard cap even busy buckets are cut back.
	t1 := t0.Add(time.Minute)
	for i := 0; i < maxBuckets+10; i++ {
		l.allow(fmt.Sprint("spray", i), t1)
	}
	if n := l.size(); n > maxBuckets {
		t.Fatalf("%d buckets, want at most %d", n, maxBuckets)
	}
}

// The session-creation window tells how long until the oldest ages out.
func TestWindowLimiterRetryAfter(t *testing.T) {
	l := newWindowLimiter(3, time.Hour)
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		l.record("a", t0.Add(time.Duration(i)*10*time.Minute))
	}
	now := t0.Add(25 * time.Minute)
	if !l.blocked("a", now) {
		t.Fatal("not blocked after 3 in the hour")
	}
	if got := l.retryAfter("a", now); got != 35*time.Minute {
		t.Fatalf("retryAfter %v, want 35m", got)
	}
	if l.blocked("a", t0.Add(time.Hour)) {
		t.Fatal("still blocked once the oldest aged out")
	}
}
