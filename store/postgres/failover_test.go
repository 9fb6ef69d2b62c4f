package postgres

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"rembuk/board"
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
