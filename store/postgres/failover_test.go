package postgres

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rembuk/board"
	"rembuk/internal/testenv"
	"rembuk/store/storetest"
)

// hungHost listens on 127.0.0.1 and accepts connections but never
// answers: a database machine that hangs. It returns the host:port.
func hungHost(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range held {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// TestHungFirstHost: the URL lists a host that hangs before the one that
// serves (the old primary's machine hung, the standby promoted,
// docs/cluster.md): without connect_timeout in the URL the store still
// gives the first host up after connectTimeout and opens on the second;
// a Submit commits there.
func TestHungFirstHost(t *testing.T) {
	t.Parallel()
	url := pg.Database(t) // postgres://postgres@127.0.0.1:PORT/DB?sslmode=disable
	at := strings.Index(url, "@") + 1
	multi := url[:at] + hungHost(t) + "," + url[at:] + "&target_session_attrs=read-write"
	ctx, cancel := context.WithTimeout(context.Background(), 3*connectTimeout)
	defer cancel()
	start := time.Now()
	db, err := Open(ctx, multi, nil)
	if err != nil {
		t.Fatalf("Open %s with the first host hung: %v after %v", multi, err, time.Since(start).Round(time.Millisecond))
	}
	defer db.Close()
	s := storetest.Create(t, db, "s1", "KODE01")
	s.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("catatan")})
	if st, _, err := db.LoadState(ctx, "s1"); err != nil || st.Seq != 1 {
		t.Fatalf("after one note: %v, want seq 1", err)
	}
	t.Logf("opened on the second host %v after the first hung", time.Since(start).Round(time.Millisecond))
}

// TestHungPrimaryPromoted: the primary hangs (every process of it
// stopped) while the store holds idle connections to it, and the standby
// is promoted. The one batch caught on a hung connection fails
// (unavailable, after the batch timeout); the ones after it commit on the
// promoted standby, instead of each taking the next hung connection of
// the pool.
func TestHungPrimaryPromoted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	standby, url := testenv.StartReplicated(t, true, "hung")
	primary := standby.Primary
	db, err := Open(ctx, url+"&connect_timeout=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close() // after the hung primary's end (below): closing a connection to it waits
	defer primary.Kill()
	db.batchTimeout = 3 * time.Second // the connection attempt (1 s on the hung host) fits in it
	s := storetest.Create(t, db, "s1", "KODE01")
	s.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("sebelum")})
	// Idle connections to the primary, as a busy node has.
	var held []*pgxpool.Conn
	for i := 0; i < 4; i++ {
		c, err := db.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	for _, c := range held {
		c.Release()
	}
	if err := primary.Freeze(); err != nil {
		t.Fatal(err)
	}
	if err := standby.Promote(); err != nil {
		t.Fatal(err)
	}
	failed := 0
	for i := 0; i < 5; i++ {
		ch := s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp(fmt.Sprint("sesudah ", i))})
		for {
			first, err := db.Submit(ctx, "s1", 0, []*board.Change{ch})
			if err == nil {
				if first != int64(i+2) {
					t.Fatalf("note %d after the promotion at seq %d, want %d", i, first, i+2)
				}
				break
			}
			if board.ErrorCode(err) != board.CodeUnavailable {
				t.Fatalf("Submit after the promotion: %v", err)
			}
			if failed++; failed > 1 {
				t.Fatalf("%d batches failed after the promotion (the pool keeps its connections to the hung primary)", failed)
			}
		}
	}
	// New connections go to the host that served last: within a deadline
	// shorter than connect_timeout (a lease renewal's), though the hung
	// host comes first in the URL.
	db.pool.Reset()
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	if _, _, err := db.LeaseOwner(short, "s1"); err != nil {
		t.Fatalf("a new connection within 500 ms, the hung host first in the URL: %v", err)
	}
}
