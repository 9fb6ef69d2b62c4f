//go:build linux

package store_test

// Disk faults on a real filesystem that fills up: a tiny tmpfs mounted for
// the test (we run as root in CI; elsewhere the test skips unless
// REMBUK_REQUIRE_TOOLS=1).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/internal/testenv"
	"rembuk/store"
)

// When the disk fills, the failing commit gets an error, every later
// write is refused without touching the disk (no retry of a failed
// fsync, even once space is free again), Healthy reports it, reads go on,
// and after a restart exactly the acknowledged changes are there.
func TestDiskFullRefusesWrites(t *testing.T) {
	dir := testenv.MountTinyFS(t, 4<<20)
	path := filepath.Join(dir, "rembuk.db")
	// Room for the schema and a few hundred notes, then full.
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	db, err := store.Open(path, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := newFaultRoom(t, db, "s1")
	acked := 0
	var failure error
	for i := 0; i < 5000; i++ {
		if failure = r.add(t); failure != nil {
			break
		}
		acked++
	}
	if failure == nil {
		t.Fatalf("the disk never filled after %d notes", acked)
	}
	t.Logf("disk full after %d acknowledged notes: %v", acked, failure)
	if board.ErrorCode(failure) != board.CodeUnavailable || strings.Contains(board.ErrorMessage(failure), "full") {
		t.Fatalf("failing write: %v, want the store's unavailable error with a safe message", failure)
	}
	if err := db.Healthy(context.Background()); err == nil {
		t.Fatalf("Healthy after a failed commit: nil, want an error")
	}
	if l := logs.String(); !strings.Contains(l, `"level":"ERROR"`) || !strings.Contains(l, "full") {
		t.Fatalf("the failure was not logged with its cause:\n%s", l)
	} else {
		t.Logf("logged: %s", strings.TrimSpace(l))
	}
	// Space comes back; the store still refuses (SQLite's state after a
	// failed write is not to be trusted until a restart).
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := r.add(t); !errors.Is(err, store.ErrUnavailable) {
			t.Fatalf("write %d after the failure, with space again: %v, want ErrUnavailable", i, err)
		}
	}
	// Reads go on.
	evs, err := db.EventsSince(context.Background(), "s1", 0, 10000)
	if err != nil || len(evs) != acked {
		t.Fatalf("events readable after the failure: %d (%v), want %d", len(evs), err, acked)
	}
	if err := db.Close(); err != nil {
		t.Logf("close after the failure: %v", err)
	}

	// A restart: the database is whole and holds exactly what was acked.
	db2, err := store.Open(path, nil)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	if res, err := db2.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity_check after the failure: %q %v", res, err)
	}
	st, refs, err := db2.LoadState(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Notes) != acked || len(refs) != acked || st.Seq != int64(acked) {
		t.Fatalf("after restart: %d notes, %d refs, seq %d; want %d of each", len(st.Notes), len(refs), st.Seq, acked)
	}
	for i := 1; i <= acked; i++ {
		if _, ok := st.Notes[fmt.Sprintf("note-%05d", i)]; !ok {
			t.Fatalf("acknowledged note %d is missing after restart", i)
		}
	}
	if err := db2.Healthy(context.Background()); err != nil {
		t.Fatalf("Healthy after restart: %v", err)
	}
	if err := (&faultRoom{db: db2, st: st, n: acked}).add(t); err != nil {
		t.Fatalf("write after restart: %v", err)
	}
}

// Several rooms writing at once when the disk fills: every change either
// is acknowledged and survives a restart, or got an error and is absent.
func TestDiskFullManyRooms(t *testing.T) {
	dir := testenv.MountTinyFS(t, 1<<20)
	path := filepath.Join(dir, "rembuk.db")
	if err := os.WriteFile(filepath.Join(dir, "filler"), make([]byte, 400<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const rooms = 8
	rs := make([]*faultRoom, rooms)
	for i := range rs {
		rs[i] = newFaultRoom(t, db, fmt.Sprint("s", i))
	}
	ackedBy := make([]int, rooms)
	errc := make(chan error, rooms)
	for i, r := range rs {
		go func() {
			for {
				if err := r.add(t); err != nil {
					errc <- err
					return
				}
				ackedBy[i]++
			}
		}()
	}
	for range rs {
		if err := <-errc; board.ErrorCode(err) != board.CodeUnavailable {
			t.Errorf("a room's failing write: %v", err)
		}
	}
	db.Close()
	os.Remove(filepath.Join(dir, "filler"))
	db2, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if res, err := db2.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	total := 0
	for i := range rs {
		st, _, err := db2.LoadState(context.Background(), fmt.Sprint("s", i))
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Notes) != ackedBy[i] || st.Seq != int64(ackedBy[i]) {
			t.Errorf("room %d: %d notes, seq %d after restart; %d were acknowledged", i, len(st.Notes), st.Seq, ackedBy[i])
		}
		total += ackedBy[i]
	}
	t.Logf("%d rooms: %d notes acknowledged before the disk filled, all present after restart", rooms, total)
}

// A transaction too big for SQLite's page cache spills to the WAL before
// its commit; when the disk fills then, the failure comes from a
// statement inside the batch, not from COMMIT. It must be treated the
// same: an error, and no more writes.
func TestDiskFullDuringSpill(t *testing.T) {
	dir := testenv.MountTinyFS(t, 3<<20)
	path := filepath.Join(dir, "rembuk.db")
	var logs bytes.Buffer
	db, err := store.Open(path, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := newFaultRoom(t, db, "s1")
	var changes []*board.Change
	for i := 0; i < 3000; i++ {
		r.n++
		text := fmt.Sprintf("%05d %s", r.n, strings.Repeat("besar ", 160))
		ch, err := r.st.Execute("fac", board.Command{Type: "note.add", Ref: fmt.Sprint("r", r.n), ColumnID: "col", Text: &text},
			time.Now(), func() string { return fmt.Sprintf("note-%05d", r.n) })
		if err != nil {
			t.Fatal(err)
		}
		changes = append(changes, ch)
	}
	_, err = db.Submit(context.Background(), "s1", 0, changes)
	t.Logf("one batch of %d changes on a 3 MiB disk: %v; log: %s", len(changes), err, strings.TrimSpace(logs.String()))
	if err == nil {
		t.Fatalf("a 6 MB batch fit on a 3 MiB disk")
	}
	if board.ErrorCode(err) != board.CodeUnavailable {
		t.Errorf("failing batch: %v, want the store's unavailable error", err)
	}
	if !strings.Contains(logs.String(), "disk is full") {
		t.Errorf("the log does not name the cause:\n%s", logs.String())
	}
	if err := db.Healthy(context.Background()); err == nil {
		t.Errorf("Healthy after a failed write: nil, want an error")
	}
	if err := r.add(t); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("a write after the failure: %v, want ErrUnavailable", err)
	}
}
