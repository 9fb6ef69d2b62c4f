package crashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rembuk/store"
)

// Crash cycles: REMBUK_CRASH_CYCLES (default 10; scripts/crash.sh runs 100).
func crashCycles() int {
	if v, err := strconv.Atoi(os.Getenv("REMBUK_CRASH_CYCLES")); err == nil && v > 0 {
		return v
	}
	return 10
}

// The real binary under load from 20 clients (5 sessions of 4) adding
// notes with unique refs, killed with SIGKILL at random moments and
// restarted on the same database. After every kill: integrity_check is
// ok, each session's events run 1..seq without a gap, every acked ref is
// on the board exactly once with the acked id and its event at the acked
// seq, and no ref is on the board twice. After each restart the clients
// resend the refs whose outcome they never learned and one ref they had
// acked: the server must ack those with the first id and seq. At the end a
// SIGTERM stops the server with exit code 0 within 5 s and every ref ever
// sent is on the board exactly once.
func TestCrashKill9UnderLoad(t *testing.T) {
	cycles := crashCycles()
	dir := t.TempDir()
	db := filepath.Join(dir, "rembuk.db")
	p := startProc(t, db)
	seats := setupSessions(t, p.URL, 5, 4)

	var url atomic.Pointer[string]
	url.Store(&p.URL)
	var clients []*loadClient
	for _, s := range seats {
		for _, seat := range s {
			clients = append(clients, &loadClient{n: len(clients), p: seat, url: &url, rate: 15, max: 900,
				acked: map[string]ack{}, pending: map[string]bool{}})
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); c.run(stop) }()
	}
	defer func() {
		select {
		case <-stop:
		default:
			close(stop)
		}
		wg.Wait()
	}()

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	start := time.Now()
	for cycle := 1; cycle <= cycles; cycle++ {
		alive := time.Duration(20+rng.IntN(1180)) * time.Millisecond
		time.Sleep(alive)
		p.kill()
		// Acks already in the clients' sockets still count: wait until
		// every client has read to the end of its connection.
		deadline := time.Now().Add(10 * time.Second)
		for _, c := range clients {
			for c.connected.Load() && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
		}
		acked, notes := verifyCrashed(t, db, clients, false)
		if t.Failed() {
			t.Fatalf("cycle %d: see above; server logs:\n%s", cycle, tail(p.Logs(), 4000))
		}
		t.Logf("cycle %d: killed after %v; %d refs acked so far, %d notes on the boards", cycle, alive.Round(time.Millisecond), acked, notes)
		p = startProc(t, db)
		url.Store(&p.URL)
	}

	// Drain: no new notes, every pending ref resent until acked.
	for _, c := range clients {
		c.mu.Lock()
		c.max = c.sent
		c.mu.Unlock()
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		left := 0
		for _, c := range clients {
			_, pend, _ := c.snapshot()
			left += len(pend)
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d refs still without an answer 20 s after the last restart", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	took, err := p.stop(t, 5*time.Second)
	if err != nil {
		t.Fatalf("SIGTERM: %v after %v; logs:\n%s", err, took, tail(p.Logs(), 4000))
	}
	acked, notes := verifyCrashed(t, db, clients, true)
	conns := 0
	for _, c := range clients {
		conns += c.conns
	}
	t.Logf("%d kill -9 cycles in %v: %d refs acked, %d notes, %d connections; SIGTERM exit 0 in %v",
		cycles, time.Since(start).Round(time.Millisecond), acked, notes, conns, took.Round(time.Millisecond))
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// copyDB copies the database and its -wal and -shm as the crash left them
// into a new folder, so the checks do not recover the original (the next
// server start must do that itself).
func copyDB(t *testing.T, path string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy.db")
	for _, suf := range []string{"", "-wal", "-shm"} {
		in, err := os.Open(path + suf)
		if err != nil {
			continue
		}
		out, err := os.Create(dst + suf)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(out, in)
		in.Close()
		out.Close()
	}
	return dst
}

// verifyCrashed checks a copy of the database against what the clients
// were told. With final set, every ref ever sent must be acked and on the
// board. It returns the number of acked refs and of notes.
func verifyCrashed(t *testing.T, path string, clients []*loadClient, final bool) (int, int) {
	t.Helper()
	cp := copyDB(t, path)
	sdb, err := store.Open(cp, nil)
	if err != nil {
		t.Fatalf("open after the crash: %v", err)
	}
	if res, err := sdb.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Errorf("integrity_check: %q %v", res, err)
	}
	if err := sdb.Close(); err != nil {
		t.Fatal(err)
	}
	db := openRO(t, cp)
	defer db.Close()

	// Every session's events run 1..seq.
	sessions := map[string]bool{}
	for _, c := range clients {
		sessions[c.p.Session] = true
	}
	for sid := range sessions {
		var seq, n, lo, hi int64
		if err := db.QueryRow(`SELECT seq FROM sessions WHERE id = ?`, sid).Scan(&seq); err != nil {
			t.Fatalf("session %s: %v", sid, err)
		}
		if err := db.QueryRow(`SELECT count(*), coalesce(min(seq),0), coalesce(max(seq),0) FROM events WHERE session_id = ?`, sid).Scan(&n, &lo, &hi); err != nil {
			t.Fatal(err)
		}
		if n != seq || (n > 0 && (lo != 1 || hi != seq)) {
			t.Errorf("session %s: seq %d but %d events from %d to %d", sid, seq, n, lo, hi)
		}
	}

	// Notes by ref.
	type onBoard struct{ id, session string }
	byRef := map[string][]onBoard{}
	rows, err := db.Query(`SELECT session_id, id, data FROM entities WHERE kind = 'note'`)
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for rows.Next() {
		var sid, id, data string
		rows.Scan(&sid, &id, &data)
		var n struct{ Text string }
		json.Unmarshal([]byte(data), &n)
		if r := refOf(n.Text); r != "" {
			byRef[r] = append(byRef[r], onBoard{id, sid})
		}
		notes++
	}
	rows.Close()
	for r, on := range byRef {
		if len(on) > 1 {
			t.Errorf("ref %s is on the board %d times", r, len(on))
		}
	}

	total := 0
	for _, c := range clients {
		acked, pending, problems := c.snapshot()
		for _, p := range problems {
			t.Errorf("client %d: %s", c.n, p)
		}
		if final && len(pending) > 0 {
			t.Errorf("client %d: %d refs never acked", c.n, len(pending))
		}
		for r, a := range acked {
			on := byRef[r]
			if len(on) != 1 {
				t.Errorf("acked ref %s (note %s, seq %d) is on the board %d times", r, a.ID, a.Seq, len(on))
				continue
			}
			if on[0].id != a.ID || on[0].session != c.p.Session {
				t.Errorf("acked ref %s: note %s in %s, ack said %s", r, on[0].id, on[0].session, a.ID)
			}
			var typ, payload string
			if err := db.QueryRow(`SELECT type, payload FROM events WHERE session_id = ? AND seq = ?`, c.p.Session, a.Seq).Scan(&typ, &payload); err != nil {
				t.Errorf("acked ref %s: no event at seq %d: %v", r, a.Seq, err)
			} else if typ != "note.added" || !json.Valid([]byte(payload)) || !containsID(payload, a.ID) {
				t.Errorf("acked ref %s: event at seq %d is %s %s", r, a.Seq, typ, payload)
			}
		}
		total += len(acked)
	}
	return total, notes
}

func containsID(payload, id string) bool {
	var d struct{ Note struct{ ID string } }
	json.Unmarshal([]byte(payload), &d)
	return d.Note.ID == id
}

var _ = fmt.Sprint
