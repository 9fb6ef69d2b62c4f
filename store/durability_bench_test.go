package store_test

// Durability benchmarks for docs/operations.md: what synchronous=FULL costs
// with one fsync per edit, and what the group commit makes of it. Run them
// under a slow fsync (scripts/slowfsync.sh):
//
//	go test -c -o store.test ./store
//	LD_PRELOAD=$PWD/slowfsync.so SLOW_FSYNC_US=2000 ./store.test -test.run '^$' -test.bench Durability

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rembuk/store"
)

// BenchmarkDurabilityFsyncPerEdit is the baseline: the same pragmas as the
// store (WAL, synchronous=FULL), one small row per transaction, one after
// the other, so every edit waits for its own fsync.
func BenchmarkDurabilityFsyncPerEdit(b *testing.B) {
	path := filepath.Join(b.TempDir(), "baseline.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO notes (text) VALUES (?)`, fmt.Sprint("Antrean loket terlalu panjang ", i)); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "edits/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/edit")
}

// BenchmarkFsyncCost is what the disk path alone costs the process per
// commit, without SQLite: one 8 KB write (a WAL frame or two) and its
// fsync, into a file already that large (no size change to sync). Its
// cpu-µs/op is the floor of a commit's CPU on this machine: the W2 target
// compares Rembuk, which pays it about once per change at 1,000 changes/s,
// with a hub that pays nothing (docs/performance.md).
func BenchmarkFsyncCost(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "wal"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	const span = 32 << 20
	if err := f.Truncate(span); err != nil {
		b.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	page := make([]byte, 8192)
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := f.WriteAt(page, int64(i*len(page))%span); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

// BenchmarkDurabilityStoreSerial: the real store, one note.add at a time
// from one room (nothing to group), so also one fsync per edit.
func BenchmarkDurabilityStoreSerial(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "serial.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	r := newFaultRoom(b, db, "s")
	r.short = true
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if r.n >= 4000 {
			r = newFaultRoom(b, db, fmt.Sprint("s", i))
			r.short = true
		}
		if err := r.add(b); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "edits/s")
}

// BenchmarkDurabilityGroupCommit: the real store with 64 rooms each
// submitting one note.add at a time, as fast as its acks come back, the
// way 64 busy sessions do. The writer commits what waits in one
// transaction with one fsync, so edits/s grows with the rooms waiting.
func BenchmarkDurabilityGroupCommit(b *testing.B) {
	for _, rooms := range []int{8, 64, 256} {
		b.Run(fmt.Sprint("rooms=", rooms), func(b *testing.B) {
			db, err := store.Open(filepath.Join(b.TempDir(), "group.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			rs := make([]*faultRoom, rooms)
			for i := range rs {
				rs[i] = newFaultRoom(b, db, fmt.Sprintf("r%d-%d", i, b.N))
				rs[i].short = true
			}
			var left atomic.Int64
			left.Store(int64(b.N))
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for i, r := range rs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					gen := 0
					for left.Add(-1) >= 0 {
						if r.n >= 4000 {
							gen++
							r = newFaultRoom(b, db, fmt.Sprintf("r%d-%d-%d", i, b.N, gen))
							r.short = true
						}
						if err := r.add(b); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "edits/s")
		})
	}
}

var _ = context.Background
