package server_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"rembuk/board"
	"rembuk/store"
)

// copyDB copies a live database's files (the main file and its WAL, not
// the shared-memory index) the way a crash leaves them, and returns the
// copy's path.
func copyDB(t *testing.T, path string) string {
	t.Helper()
	dir := t.TempDir()
	dst := filepath.Join(dir, "copy.db")
	for _, suffix := range []string{"", "-wal"} {
		in, err := os.Open(path + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(dst + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// checkStored opens path with a second store and checks that every acked
// note is on the board once and was logged once.
func checkStored(t *testing.T, label, path, sessionID string, acked map[string]int64, lastSeq int64) {
	t.Helper()
	db, err := store.Open(path, nil)
	if err != nil {
		t.Fatalf("%s: open: %v", label, err)
	}
	defer db.Close()
	ctx := context.Background()
	st, refs, err := db.LoadState(ctx, sessionID)
	if err != nil {
		t.Fatalf("%s: load: %v", label, err)
	}
	if st.Seq < lastSeq {
		t.Errorf("%s: stored seq %d, want at least the last acked %d", label, st.Seq, lastSeq)
	}
	for id := range acked {
		if _, ok := st.Notes[id]; !ok {
			t.Errorf("%s: acked note %s is not on the board", label, id)
		}
	}
	if len(st.Notes) != len(acked) {
		t.Errorf("%s: board has %d notes, want the %d acked", label, len(st.Notes), len(acked))
	}
	evs, err := db.EventsSince(ctx, sessionID, 0, 100000)
	if err != nil {
		t.Fatalf("%s: events: %v", label, err)
	}
	logged := map[string]int{}
	for i, ev := range evs {
		if ev.Seq != int64(i)+1 {
			t.Fatalf("%s: event log has seq %d at %d", label, ev.Seq, i)
		}
		if d, ok := ev.Data.(board.NoteData); ok && ev.Name == "note.added" {
			logged[d.Note.ID]++
			if want, ok := acked[d.Note.ID]; ok && want != ev.Seq {
				t.Errorf("%s: note %s logged at seq %d, acked with %d", label, d.Note.ID, ev.Seq, want)
			}
		}
	}
	for id := range acked {
		if logged[id] != 1 {
			t.Errorf("%s: note %s logged %d times, want once", label, id, logged[id])
		}
	}
	if n := len(refs); n < len(acked) {
		t.Errorf("%s: %d refs stored, want at least %d", label, n, len(acked))
	}
}

// An ack comes only after the change is on disk: a copy of the database
// files taken the moment the last ack arrives (as a kill would leave them)
// holds every acked note exactly once, and so does the live file opened by
// a second store and the file after shutdown.
func TestAckedNotesAreOnDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rembuk.db")
	ts := startServer(t, path)
	s := ts.create("masalah-inovasi")
	const clients, each = 5, 35 // under the burst of 40 per connection
	var cs []*wsClient
	var cols []string
	for i := 0; i < clients; i++ {
		j := ts.join(s.JoinCode, fmt.Sprint("Peserta ", i))
		c, w := ts.connect(s.ID, j.Token, nil)
		cols = columnIDs(w)
		cs = append(cs, c)
	}
	// Every client fires its notes without waiting, all at once.
	for k := 0; k < each; k++ {
		for i, c := range cs {
			c.send(map[string]any{"type": "note.add", "ref": fmt.Sprintf("c%d-%d", i, k),
				"columnId": cols[k%len(cols)], "text": fmt.Sprintf("catatan %d dari %d", k, i)})
		}
	}
	acked := map[string]int64{}
	var last int64
	for i, c := range cs {
		for got := 0; got < each; {
			f := c.next()
			if f["type"] == "error" {
				t.Fatalf("client %d: %v", i, f)
			}
			if f["type"] != "ack" {
				continue
			}
			got++
			id, _ := f["id"].(string)
			if _, dup := acked[id]; dup || id == "" {
				t.Fatalf("ack %v: id missing or given twice", f)
			}
			acked[id] = num(f["seq"])
			if num(f["seq"]) > last {
				last = num(f["seq"])
			}
		}
	}
	// The kill: the files as they are now, with the server still running.
	cp := copyDB(t, path)
	checkStored(t, "copy taken at the last ack", cp, s.ID, acked, last)
	checkStored(t, "live file, second store", path, s.ID, acked, last)
	ts.Stop()
	checkStored(t, "after shutdown", path, s.ID, acked, last)
}
