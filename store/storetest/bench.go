package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"rembuk/board"
)

// BenchW2 is W2's shape on a store alone, the same for every store: 50
// rooms, each storing one note.add at a steady pace (open loop: a late
// commit does not move the schedule), rate changes/s in all, for 4 s
// whatever b.N (run with -benchtime 1x). Figures: the Submit latency's p50
// and p99, and the changes stored per second.
func BenchW2(b *testing.B, db Store, rate int) {
	const rooms = 50
	const dur = 4 * time.Second
	period := time.Second * rooms / time.Duration(rate)
	per := int(dur / period)
	ss := make([]*Session, rooms)
	for i := range ss {
		ss[i] = Create(b, db, fmt.Sprintf("w2-%d-%d", i, b.N), fmt.Sprintf("W%d%04d", b.N%10, i))
	}
	lat := make([][]time.Duration, rooms)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errc := make(chan error, rooms)
	for i, s := range ss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := start.Add(period * time.Duration(i) / rooms)
			for k := 0; k < per; k++ {
				time.Sleep(time.Until(next)) // the load's schedule, not synchronisation
				next = next.Add(period)
				text := fmt.Sprintf("catatan nomor %d dari ruang %d, enam puluh huruf kira-kira", k, i)
				ch, err := s.Execute("fac", board.Command{Type: "note.add", Ref: fmt.Sprint("r", k), ColumnID: "c1", Text: &text})
				if err != nil {
					errc <- err
					return
				}
				db.Expect(s.St.Session.ID)
				t0 := time.Now()
				first, err := db.Submit(context.Background(), s.St.Session.ID, 0, []*board.Change{ch})
				if err != nil {
					errc <- err
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
				s.St.Commit(first)
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errc)
	for err := range errc {
		b.Fatal(err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(len(all))/took.Seconds(), "changes/s")
}

// BenchLoad times LoadState of a session whose log holds events notes
// (stored 50 to a batch beforehand): what opening a room costs.
func BenchLoad(b *testing.B, db Store, events int) {
	s := Create(b, db, "load", "LOAD01")
	for k := 0; k < events; {
		var batch []*board.Change
		for ; k < events && len(batch) < 50; k++ {
			batch = append(batch, s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1",
				Text: sp(fmt.Sprintf("catatan nomor %d, enam puluh huruf kira-kira, tentang antrean", k))}))
		}
		s.Submit(batch...)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, _, err := db.LoadState(context.Background(), "load")
		if err != nil || len(st.Notes) != events {
			b.Fatalf("LoadState: %d notes, %v", len(st.Notes), err)
		}
	}
}
