package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"rembuk/board"
	"rembuk/server"
)

// timedStore records every Submit's size and latency: what a room waits
// for between deciding a batch and broadcasting it.
type timedStore struct {
	server.Store
	mu    sync.Mutex
	durs  []time.Duration
	sizes []int
	start []time.Time
}

func (t *timedStore) Submit(ctx context.Context, id string, epoch int64, ch []*board.Change) (int64, error) {
	t0 := time.Now()
	first, err := t.Store.Submit(ctx, id, epoch, ch)
	d := time.Since(t0)
	t.mu.Lock()
	t.durs = append(t.durs, d)
	t.sizes = append(t.sizes, len(ch))
	t.start = append(t.start, t0)
	t.mu.Unlock()
	return first, err
}

func (t *timedStore) report(w io.Writer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.durs) == 0 {
		return
	}
	if len(t.durs) <= 40 {
		for i := range t.durs {
			fmt.Fprintf(w, "  submit at +%v: %d changes, %v\n", t.start[i].Sub(t.start[0]).Round(10*time.Microsecond), t.sizes[i], t.durs[i].Round(10*time.Microsecond))
		}
	}
	d := slices.Clone(t.durs)
	slices.Sort(d)
	total := 0
	for _, s := range t.sizes {
		total += s
	}
	q := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
	fmt.Fprintf(w, "submit: %d calls, %d changes (%.1f per call), latency p50 %v p90 %v p99 %v max %v\n",
		len(d), total, float64(total)/float64(len(d)), q(0.5), q(0.9), q(0.99), d[len(d)-1])
}
