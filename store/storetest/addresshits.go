package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// AddressStore is the server's AddressLimits: per-address hits shared by
// every node; a Store that implements it has them tested too.
type AddressStore interface {
	HitAddress(ctx context.Context, kind, key string, at time.Time, window time.Duration, max int, take bool) (hits []time.Time, taken bool, err error)
}

// testAddressHits: a take records a hit until max are in the window, the
// window slides, kinds and keys are apart, and concurrent takes never pass
// max (the count-and-record is one step).
func testAddressHits(t *testing.T, st Store) {
	db, ok := st.(AddressStore)
	if !ok {
		t.Skip("this store keeps no address hits")
	}
	ctx := context.Background()
	const win = time.Minute
	hit := func(kind, key string, at time.Time, take bool) ([]time.Time, bool) {
		t.Helper()
		hits, taken, err := db.HitAddress(ctx, kind, key, at, win, 3, take)
		if err != nil {
			t.Fatalf("HitAddress(%s, %s, %v): %v", kind, key, take, err)
		}
		return hits, taken
	}
	if hits, _ := hit("joins", "10.0.0.1", T0, false); len(hits) != 0 {
		t.Fatalf("unknown address: %v, want no hits", hits)
	}
	for i := range 3 {
		at := T0.Add(time.Duration(i) * time.Second)
		hits, taken := hit("joins", "10.0.0.1", at, true)
		if !taken || len(hits) != i+1 || !hits[i].Equal(at.Truncate(time.Microsecond)) {
			t.Fatalf("take %d = %v %v, want taken with %d hits ending at %v", i, hits, taken, i+1, at)
		}
	}
	if hits, taken := hit("joins", "10.0.0.1", T0.Add(3*time.Second), true); taken || len(hits) != 3 || !hits[0].Equal(T0.Truncate(time.Microsecond)) {
		t.Fatalf("take over max = %v %v, want refused with the 3 hits from T0", hits, taken)
	}
	if hits, _ := hit("joins", "10.0.0.1", T0.Add(3*time.Second), false); len(hits) != 3 {
		t.Fatalf("read after a refused take: %d hits, want 3 (a refusal records nothing)", len(hits))
	}
	// Apart by kind and by key.
	if hits, taken := hit("creates", "10.0.0.1", T0, true); !taken || len(hits) != 1 {
		t.Fatalf("another kind: %v %v, want its first hit", hits, taken)
	}
	if hits, taken := hit("joins", "10.0.0.2", T0, true); !taken || len(hits) != 1 {
		t.Fatalf("another address: %v %v, want its first hit", hits, taken)
	}
	// The first hit leaves the window exactly a window after it.
	if hits, _ := hit("joins", "10.0.0.1", T0.Add(win), false); len(hits) != 2 {
		t.Fatalf("a window later: %d hits, want 2", len(hits))
	}
	if hits, taken := hit("joins", "10.0.0.1", T0.Add(win), true); !taken || len(hits) != 3 || !hits[2].Equal(T0.Add(win).Truncate(time.Microsecond)) {
		t.Fatalf("take once the first left: %v %v, want taken", hits, taken)
	}
	if hits, _ := hit("joins", "10.0.0.1", T0.Add(10*win), false); len(hits) != 0 {
		t.Fatalf("ten windows later: %v, want none", hits)
	}

	// A node whose clock is behind: its hit still comes back in order.
	hit("skew", "10.0.0.3", T0.Add(5*time.Second), true)
	if hits, taken := hit("skew", "10.0.0.3", T0.Add(2*time.Second), true); !taken || len(hits) != 2 || !hits[0].Before(hits[1]) {
		t.Fatalf("a hit older than the last: %v %v, want both, oldest first", hits, taken)
	}

	// Concurrent takes of one new address: exactly max pass.
	var wg sync.WaitGroup
	var mu sync.Mutex
	passed := 0
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, taken, err := db.HitAddress(ctx, "rejoin", "10.0.0.9", T0.Add(time.Duration(i)*time.Millisecond), win, 5, true)
			if err != nil {
				t.Error(fmt.Errorf("concurrent take: %w", err))
				return
			}
			if taken {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if passed != 5 {
		t.Fatalf("12 concurrent takes with max 5: %d passed", passed)
	}
	if hits, _, _ := db.HitAddress(ctx, "rejoin", "10.0.0.9", T0.Add(time.Second), win, 5, false); len(hits) != 5 {
		t.Fatalf("after concurrent takes: %d hits stored, want 5", len(hits))
	}
}
