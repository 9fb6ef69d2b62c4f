package crashtest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rembuk/internal/testenv"
	"rembuk/store"
)

// `rembuk backup` on a live database under writes: the copy opens, passes
// integrity_check, holds every note acked before the backup began, and
// its events run without a gap; an existing out file is refused and left
// alone. Restoring the copy (stop, replace the file, remove -wal/-shm,
// start) serves the board.
func TestBackupLiveDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "rembuk.db")
	p := startProc(t, db)
	seats := setupSessions(t, p.URL, 5, 4)
	var url atomic.Pointer[string]
	url.Store(&p.URL)
	var clients []*loadClient
	for _, s := range seats {
		for _, seat := range s {
			clients = append(clients, &loadClient{n: len(clients), p: seat, url: &url, rate: 18, max: 100000,
				acked: map[string]ack{}, pending: map[string]bool{}})
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); c.run(stop) }()
	}
	time.Sleep(1500 * time.Millisecond)

	before := map[string]ack{}
	for _, c := range clients {
		a, _, _ := c.snapshot()
		for r, x := range a {
			before[r] = x
		}
	}
	out := filepath.Join(dir, "backup", "rembuk-backup.db")
	os.MkdirAll(filepath.Dir(out), 0o755)
	start := time.Now()
	cmd := exec.Command(testenv.Binary(t), "backup", "-db", db, "-out", out)
	msg, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, msg)
	}
	if !strings.Contains(string(msg), out) {
		t.Errorf("backup said %q", msg)
	}
	time.Sleep(500 * time.Millisecond) // writes go on after the backup
	close(stop)
	wg.Wait()
	after := 0
	for _, c := range clients {
		a, _, _ := c.snapshot()
		after += len(a)
	}

	// The copy.
	bdb, err := store.Open(out, nil)
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	if res, err := bdb.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("backup integrity_check: %q %v", res, err)
	}
	bdb.Close()
	sq := openRO(t, out)
	onBoard := map[string]string{}
	rows, err := sq.Query(`SELECT id, data FROM entities WHERE kind = 'note'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, data string
		rows.Scan(&id, &data)
		var n struct{ Text string }
		json.Unmarshal([]byte(data), &n)
		onBoard[refOf(n.Text)] = id
	}
	rows.Close()
	for r, a := range before {
		if onBoard[r] != a.ID {
			t.Errorf("ref %s acked before the backup is not in it", r)
		}
	}
	for _, s := range seats {
		var seq, n int64
		sq.QueryRow(`SELECT seq FROM sessions WHERE id = ?`, s[0].Session).Scan(&seq)
		sq.QueryRow(`SELECT count(*) FROM events WHERE session_id = ? AND seq BETWEEN 1 AND ?`, s[0].Session, seq).Scan(&n)
		if n != seq {
			t.Errorf("backup: session seq %d with %d events", seq, n)
		}
	}
	sq.Close()
	t.Logf("backup of a live database in %v: %d notes (%d acked before it began, %d by the end)", took.Round(time.Millisecond), len(onBoard), len(before), after)

	// An existing out file is refused and left untouched.
	orig, _ := os.ReadFile(out)
	msg, err = exec.Command(testenv.Binary(t), "backup", "-db", db, "-out", out).CombinedOutput()
	if err == nil {
		t.Fatalf("backup over an existing file succeeded: %s", msg)
	}
	if now, _ := os.ReadFile(out); !bytes.Equal(now, orig) {
		t.Fatalf("a refused backup changed the existing file")
	}
	t.Logf("backup over an existing file: %v: %s", err, strings.TrimSpace(string(msg)))
	// A missing database is an error, not a new empty one.
	if msg, err := exec.Command(testenv.Binary(t), "backup", "-db", filepath.Join(dir, "nope.db"), "-out", filepath.Join(dir, "x.db")).CombinedOutput(); err == nil {
		t.Fatalf("backup of a missing database succeeded: %s", msg)
	}
	if _, err := os.Stat(filepath.Join(dir, "nope.db")); err == nil {
		t.Fatalf("backup created the missing database")
	}

	// Restore: stop, replace the file, remove -wal and -shm, start.
	if _, err := p.stop(t, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(out, db); err != nil {
		t.Fatal(err)
	}
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	p = startProc(t, db)
	var bd struct{ Notes []struct{ ID string } }
	if st := httpJSON(t, "GET", p.URL+"/api/sessions/"+seats[0][0].Session+"/board", seats[0][0].Token, nil, &bd); st != 200 {
		t.Fatalf("board after restore: %d", st)
	}
	want := 0
	for r := range onBoard {
		for _, c := range clients[:4] {
			if strings.HasPrefix(r, c.ref(0)[:4]) {
				want++
			}
		}
	}
	if len(bd.Notes) != want {
		t.Fatalf("after restore: session 1 has %d notes, the backup held %d", len(bd.Notes), want)
	}
	if _, err := p.stop(t, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}
