package store_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"rembuk/store"
)

// BenchmarkStoreW2: W2's shape on the store alone — 50 rooms, each storing
// one note.add at a steady pace (open loop: a late commit does not move
// the schedule), at 250, 1,000 and 3,000 changes/s in all, with the rooms
// announcing their Submits as the server's do (announce=1, the commit
// delay) or not. Each sub-benchmark runs 4 s whatever b.N: run it with
// -benchtime 1x. Figures: CPU per change, the Submit latency's p50 and p99.
func BenchmarkStoreW2(b *testing.B) {
	for _, rate := range []int{250, 1000, 3000} {
		for _, announce := range []bool{false, true} {
			b.Run(fmt.Sprintf("rate=%d/announce=%v", rate, announce), func(b *testing.B) {
				storeW2(b, rate, announce)
			})
		}
	}
}

func storeW2(b *testing.B, rate int, announce bool) {
	const rooms = 50
	const dur = 4 * time.Second
	period := time.Second * rooms / time.Duration(rate)
	per := int(dur / period)
	db, err := store.Open(filepath.Join(b.TempDir(), "w2.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rs := make([]*perfRoom, rooms)
	for i := range rs {
		rs[i] = newPerfRoom(b, db, fmt.Sprintf("w2-%d-%d", i, b.N))
	}
	lat := make([][]time.Duration, rooms)
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := start.Add(period * time.Duration(i) / rooms)
			for k := 0; k < per; k++ {
				time.Sleep(time.Until(next)) // the load's schedule, not synchronisation
				next = next.Add(period)
				if announce {
					expect(db, r.st.Session.ID)
				}
				t0 := time.Now()
				r.submit(b, r.decide(b, 1))
				lat[i] = append(lat[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	n := float64(per * rooms)
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/n, "cpu-µs/change")
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
}

func expect(db *store.DB, id string) { db.Expect(id) }
