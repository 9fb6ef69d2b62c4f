package crashtest

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"rembuk/internal/testenv"
	"rembuk/store/postgres"
)

// The binary on PostgreSQL (-db postgres://…, one node, no broker) under
// the same load as TestCrashKill9UnderLoad, killed with SIGKILL at random
// moments and started again on the same database: after every kill each
// session's log runs 1..seq without a gap, every acked ref is on the board
// exactly once with the acked id and its note.added event at the acked
// seq; at the end every ref ever sent is, and SIGTERM exits 0.
func TestPostgresKill9UnderLoad(t *testing.T) {
	pg, err := testenv.StartPostgres()
	if err != nil {
		testenv.SkipOrFail(t, err)
	}
	t.Cleanup(func() {
		if err := pg.Stop(); err != nil {
			t.Errorf("stop postgres: %v", err)
		}
	})
	dbURL := pg.CreateDatabase(t)
	cycles := min(crashCycles(), 5)
	p := startProc(t, dbURL)
	seats := setupSessions(t, p.URL, 4, 4)
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
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	for cycle := 1; cycle <= cycles; cycle++ {
		alive := time.Duration(200+rng.IntN(1000)) * time.Millisecond
		time.Sleep(alive) // load runs this long: not a synchronisation
		p.kill()
		deadline := time.Now().Add(10 * time.Second)
		for _, c := range clients {
			for c.connected.Load() && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
		}
		acked, notes := verifyPostgres(t, dbURL, clients, false)
		if t.Failed() {
			t.Fatalf("cycle %d: see above; server logs:\n%s", cycle, tail(p.Logs(), 4000))
		}
		t.Logf("cycle %d: killed after %v; %d refs acked so far, %d notes", cycle, alive.Round(time.Millisecond), acked, notes)
		p = startProc(t, dbURL)
		url.Store(&p.URL)
	}
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
	if took, err := p.stop(t, 5*time.Second); err != nil {
		t.Fatalf("SIGTERM: %v after %v; logs:\n%s", err, took, tail(p.Logs(), 4000))
	}
	acked, notes := verifyPostgres(t, dbURL, clients, true)
	t.Logf("%d kill -9 cycles on PostgreSQL: %d refs acked, %d notes", cycles, acked, notes)
}

// verifyPostgres checks the database against what the clients were told.
func verifyPostgres(t *testing.T, dbURL string, clients []*loadClient, final bool) (int, int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	db, err := postgres.Open(ctx, dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type onBoard struct{ id, session string }
	byRef := map[string][]onBoard{}
	notes := 0
	sessions := map[string]bool{}
	for _, c := range clients {
		sessions[c.p.Session] = true
	}
	for sid := range sessions {
		var seq, n, lo, hi int64
		if err := conn.QueryRow(ctx, `SELECT seq FROM sessions WHERE id = $1`, sid).Scan(&seq); err != nil {
			t.Fatalf("session %s: %v", sid, err)
		}
		if err := conn.QueryRow(ctx, `SELECT count(*), coalesce(min(seq),0), coalesce(max(seq),0) FROM events WHERE session_id = $1`, sid).Scan(&n, &lo, &hi); err != nil {
			t.Fatal(err)
		}
		if n != seq || (n > 0 && (lo != 1 || hi != seq)) {
			t.Errorf("session %s: seq %d but %d events from %d to %d", sid, seq, n, lo, hi)
		}
		st, _, err := db.LoadState(ctx, sid)
		if err != nil {
			t.Fatalf("load %s: %v", sid, err)
		}
		for id, note := range st.Notes {
			if r := refOf(note.Text); r != "" {
				byRef[r] = append(byRef[r], onBoard{id, sid})
			}
			notes++
		}
	}
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
			if len(on) != 1 || on[0].id != a.ID || on[0].session != c.p.Session {
				t.Errorf("acked ref %s (note %s, seq %d) is on the board as %v", r, a.ID, a.Seq, on)
				continue
			}
			var typ, payload string
			if err := conn.QueryRow(ctx, `SELECT type, payload FROM events WHERE session_id = $1 AND seq = $2`, c.p.Session, a.Seq).Scan(&typ, &payload); err != nil {
				t.Errorf("acked ref %s: no event at seq %d: %v", r, a.Seq, err)
			} else if typ != "note.added" || !containsID(payload, a.ID) {
				t.Errorf("acked ref %s: event at seq %d is %s %s", r, a.Seq, typ, payload)
			}
		}
		total += len(acked)
	}
	return total, notes
}
