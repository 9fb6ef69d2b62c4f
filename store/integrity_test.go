package store

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rembuk/board"
	"rembuk/store/storetest"
)

// makeBigDB writes a closed database file with 2,000 notes of about
// 1,000 characters (a few MB, far more pages than any connection caches).
func makeBigDB(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "rembuk.db")
	db := MustOpenDBAt(tb, path)
	s := storetest.Create(tb, db, "big", "BIGBIG")
	text := strings.Repeat("Antrean panjang di loket. ", 38)
	for batch := 0; batch < 20; batch++ {
		var chs []*board.Change
		for i := 0; i < 100; i++ {
			chs = append(chs, s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp(text)}))
		}
		s.Submit(chs...)
	}
	MustClose(tb, db)
	return path
}

// overwritePages fills pages from..to (1-based, inclusive; to 0 = the last)
// of the file with a byte that is no valid b-tree page type.
func overwritePages(tb testing.TB, path string, from, to int) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	hdr := make([]byte, 100)
	if _, err := f.ReadAt(hdr, 0); err != nil {
		tb.Fatal(err)
	}
	size := int(binary.BigEndian.Uint16(hdr[16:18]))
	if size == 1 {
		size = 65536
	}
	st, _ := f.Stat()
	pages := int(st.Size()) / size
	if pages < 100 {
		tb.Fatalf("the file has %d pages; the test needs a bigger one", pages)
	}
	if to == 0 || to > pages {
		to = pages
	}
	junk := []byte(strings.Repeat("\x5a", size))
	for p := from; p <= to; p++ {
		if _, err := f.WriteAt(junk, int64(p-1)*int64(size)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		tb.Fatal(err)
	}
}

// Open runs PRAGMA quick_check and refuses a damaged file with ErrCorrupt:
// page 2 overwritten (a table nothing reads at start), or a header that is
// no database at all. A sound file of the same size opens.
func TestOpenRefusesDamagedFile(t *testing.T) {
	good := makeBigDB(t)
	db, err := Open(good, nil)
	if err != nil {
		t.Fatalf("a sound file: %v", err)
	}
	MustClose(t, db)

	for _, c := range []struct {
		name     string
		from, to int
	}{{"page 2", 2, 2}, {"the header page", 1, 1}, {"a run of data pages", 40, 60}} {
		path := makeBigDB(t)
		overwritePages(t, path, c.from, c.to)
		db, err := Open(path, nil)
		if err == nil {
			db.Close()
			t.Fatalf("%s overwritten: Open succeeded", c.name)
		}
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
			t.Fatalf("%s overwritten: %v, want ErrCorrupt naming the file", c.name, err)
		}
		t.Logf("%s: %v", c.name, err)
	}
}

// Damage that appears while the store is open is reported the first time
// SQLite reads it: the read answers unavailable (not an internal error),
// Healthy fails from then on, and every write is refused.
func TestDamageAtRunTimeIsReported(t *testing.T) {
	path := makeBigDB(t)
	db := MustOpenDBAt(t, path)
	ctx := context.Background()
	if err := db.Healthy(ctx); err != nil {
		t.Fatalf("healthy before: %v", err)
	}
	overwritePages(t, path, 2, 0)
	_, _, err := db.LoadState(ctx, "big")
	if board.ErrorCode(err) != board.CodeUnavailable {
		t.Fatalf("LoadState on a damaged file: %v, want unavailable", err)
	}
	if err := db.Healthy(ctx); err == nil {
		t.Fatal("Healthy after SQLite reported corruption: nil, want an error")
	}
	err = db.CreateSession(ctx, board.Session{ID: "new", JoinCode: "NEWNEW", CreatedAt: t0}, nil,
		board.Participant{ID: "f", Role: board.RoleFacilitator, JoinedAt: t0, TokenHash: []byte("h")}, nil)
	if board.ErrorCode(err) != board.CodeUnavailable {
		t.Fatalf("a write after corruption: %v, want unavailable", err)
	}
}
