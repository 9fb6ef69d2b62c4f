package server_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"testing"
)

// A database file damaged while the server runs is reported, not served:
// the first read SQLite finds corrupt answers 503 unavailable (not 500),
// /healthz turns 503, and nothing more is written (a new session is
// refused 503).
func TestDamagedDatabaseAtRunTime(t *testing.T) {
	// A few MB of notes, written by one server and read by none since.
	first := startServer(t, "", noCommandLimit)
	s, _, col := first.setup("kosong")
	text := strings.Repeat("Antrean panjang di loket pelayanan. ", 27)
	c := first.postMany(s.ID, s.FacilitatorToken, 2000, 8, func(i int) map[string]any {
		return cmdOf("note.add", fmt.Sprint("n", i), map[string]any{"columnId": col, "text": text})
	})
	if c["ack"] != 2000 {
		t.Fatalf("notes: %v", c)
	}
	path := first.DBPath
	first.Stop()

	ts := startServer(t, path)
	if st := ts.do("GET", "/healthz", "", nil, nil); st != 200 {
		t.Fatalf("healthz on a sound file: %d", st)
	}
	damage(t, path)
	var out struct{ Error struct{ Code string } }
	if st := ts.do("GET", "/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, &out); st != 503 || out.Error.Code != "unavailable" {
		t.Fatalf("board of a damaged session: %d %v, want 503 unavailable", st, out)
	}
	if st := ts.do("GET", "/healthz", "", nil, nil); st != 503 {
		t.Fatalf("healthz after SQLite reported corruption: %d, want 503", st)
	}
	if st := ts.do("POST", "/api/sessions", "", map[string]any{"title": "Baru", "template": "kosong", "facilitatorName": "F"}, &out); st != 503 || out.Error.Code != "unavailable" {
		t.Fatalf("a new session on a damaged file: %d %v, want 503 unavailable", st, out)
	}
}

// damage overwrites every page of the file but the first with a byte that
// is no valid b-tree page type.
func damage(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hdr := make([]byte, 100)
	if _, err := f.ReadAt(hdr, 0); err != nil {
		t.Fatal(err)
	}
	size := int64(binary.BigEndian.Uint16(hdr[16:18]))
	st, _ := f.Stat()
	if st.Size()/size < 500 {
		t.Fatalf("the file has %d pages; the test needs a bigger one", st.Size()/size)
	}
	junk := []byte(strings.Repeat("\x5a", int(size)))
	for off := size; off < st.Size(); off += size {
		if _, err := f.WriteAt(junk, off); err != nil {
			t.Fatal(err)
		}
	}
	f.Sync()
}
