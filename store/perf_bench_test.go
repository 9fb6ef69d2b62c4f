package store_test

// Microbenchmarks of the group commit: rooms submitting their batches
// from many goroutines to the one writer, on a real file with
// synchronous=FULL. See docs/performance.md.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store"
)

var perfT0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// perfRoom is one session's state driven as a room drives it.
type perfRoom struct {
	db  *store.DB
	st  *board.State
	ids func() string
	n   int
}

func newPerfRoom(tb testing.TB, db *store.DB, name string) *perfRoom {
	tb.Helper()
	ctx := context.Background()
	sess := board.Session{ID: name, Title: "Rapat", Template: "kosong", Lang: "id", JoinCode: name,
		Phase: board.PhaseBrainstorm, Settings: board.DefaultSettings(), CreatedAt: perfT0}
	fac := board.Participant{ID: name + "-fac", Name: "Fasilitator", Role: board.RoleFacilitator, JoinedAt: perfT0,
		TokenHash: []byte(name)}
	cols := []board.Column{{ID: name + "-col", Title: "Catatan", Kind: board.KindOther, Position: 1}}
	if err := db.CreateSession(ctx, sess, nil, fac, cols); err != nil {
		tb.Fatal(err)
	}
	st, _, err := db.LoadState(ctx, name)
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	return &perfRoom{db: db, st: st, ids: func() string { n++; return fmt.Sprintf("%s-%d", name, n) }}
}

// decide makes k note.add changes (the room's batch).
func (r *perfRoom) decide(tb testing.TB, k int) []*board.Change {
	out := make([]*board.Change, k)
	for i := range out {
		r.n++
		text := fmt.Sprintf("Antrean loket pelayanan terlalu panjang pada jam sibuk (%d)", r.n)
		ch, err := r.st.Execute(r.st.Session.ID+"-fac", board.Command{Type: "note.add", Ref: r.ids(),
			ColumnID: r.st.Session.ID + "-col", Text: &text}, perfT0, r.ids)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = ch
	}
	return out
}

func (r *perfRoom) submit(tb testing.TB, chs []*board.Change) {
	first, err := r.db.Submit(context.Background(), r.st.Session.ID, 0, chs)
	if err != nil {
		tb.Error(err)
		return
	}
	for i := range chs {
		r.st.Commit(first + int64(i))
	}
}

// BenchmarkGroupCommit: rooms goroutines each submit batches of batch
// note.add changes, as fast as their commits come back. One op is one
// change; the rooms' submits meet in the store's writer, which commits
// whatever is waiting in one transaction and one fsync. Boards are
// replaced before they reach the 5,000-note cap.
func BenchmarkGroupCommit(b *testing.B) {
	for _, c := range []struct {
		rooms, batch int
		expect       bool
	}{{1, 1, false}, {1, 100, false}, {50, 1, false}, {50, 4, false}, {50, 1, true}, {50, 4, true}} {
		name := fmt.Sprintf("rooms=%d/batch=%d", c.rooms, c.batch)
		if c.expect {
			// As the server's rooms do: announce the Submit when the
			// first change of a batch is decided (the commit delay).
			name += "/expect"
		}
		b.Run(name, func(b *testing.B) {
			db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			rooms := make([]*perfRoom, c.rooms)
			for i := range rooms {
				rooms[i] = newPerfRoom(b, db, fmt.Sprintf("room-%d-%d", i, b.N))
			}
			per := (b.N + c.rooms - 1) / c.rooms
			b.ReportAllocs()
			b.ResetTimer()
			start, cpu0 := time.Now(), cpuTime()
			var wg sync.WaitGroup
			for i, r := range rooms {
				wg.Add(1)
				go func() {
					defer wg.Done()
					gen := 0
					for done := 0; done < per; done += c.batch {
						if r.n+c.batch > 4000 {
							gen++
							r = newPerfRoom(b, db, fmt.Sprintf("room-%d-%d-%d", i, b.N, gen))
						}
						if c.expect {
							db.Expect(r.st.Session.ID)
						}
						r.submit(b, r.decide(b, min(c.batch, per-done)))
					}
				}()
			}
			wg.Wait()
			n := float64(per * c.rooms)
			b.ReportMetric(n/time.Since(start).Seconds(), "changes/s")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/n, "cpu-µs/change")
		})
	}
}

// cpuTime is the process's user and system CPU time so far: on a shared
// machine with a noisy disk it is steadier than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestCheckpointOffCommitPath: the writer does not checkpoint inside its
// commits (wal_autocheckpoint is off on its connection); the checkpointer
// copies the WAL into the database file in the background.
func TestCheckpointOffCommitPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cp.db")
	db, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := newPerfRoom(t, db, "cp")
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		r.submit(t, r.decide(t, 50))
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		after, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if after.Size() > before.Size() {
			break // the 2,000 notes reached the database file, not only the WAL
		}
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes after 5 s: nothing was checkpointed", after.Size())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
