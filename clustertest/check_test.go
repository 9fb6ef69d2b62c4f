package clustertest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// logDB reads the stored log for the checks: a SQLite file (one node)
// or a PostgreSQL database (a cluster), each read in one snapshot.
type logDB struct {
	sqlite *sql.DB
	pgURL  string
}

// eventRow is one stored event as the checks read it.
type eventRow struct {
	seq          int64
	typ, payload string
}

// snapshot reads sessions.seq and the events of each session in one
// read-only transaction.
func (l *logDB) snapshot(sessions []string) (map[string]int64, map[string][]eventRow, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	seqs, evs := map[string]int64{}, map[string][]eventRow{}
	if l.sqlite != nil {
		tx, err := l.sqlite.BeginTx(ctx, nil)
		if err != nil {
			return nil, nil, err
		}
		defer tx.Rollback()
		for _, sid := range sessions {
			var seq int64
			if err := tx.QueryRow(`SELECT seq FROM sessions WHERE id = ?`, sid).Scan(&seq); err != nil {
				return nil, nil, fmt.Errorf("session %s: %w", sid, err)
			}
			seqs[sid] = seq
			rows, err := tx.Query(`SELECT seq, type, payload FROM events WHERE session_id = ? ORDER BY seq`, sid)
			if err != nil {
				return nil, nil, err
			}
			for rows.Next() {
				var e eventRow
				rows.Scan(&e.seq, &e.typ, &e.payload)
				evs[sid] = append(evs[sid], e)
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return nil, nil, err
			}
		}
		return seqs, evs, nil
	}
	conn, err := pgx.Connect(ctx, l.pgURL)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close(context.Background())
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback(context.Background())
	for _, sid := range sessions {
		var seq int64
		if err := tx.QueryRow(ctx, `SELECT seq FROM sessions WHERE id = $1`, sid).Scan(&seq); err != nil {
			return nil, nil, fmt.Errorf("session %s: %w", sid, err)
		}
		seqs[sid] = seq
		rows, err := tx.Query(ctx, `SELECT seq, type, payload FROM events WHERE session_id = $1 ORDER BY seq`, sid)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var e eventRow
			rows.Scan(&e.seq, &e.typ, &e.payload)
			evs[sid] = append(evs[sid], e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return seqs, evs, nil
}

// owners reads the unexpired leases of a PostgreSQL log: session → node.
func (l *logDB) owners() (map[string]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, l.pgURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT session_id, node FROM session_leases WHERE until > now()`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var s, n string
		rows.Scan(&s, &n)
		out[s] = n
	}
	return out, rows.Err()
}

// refOf extracts the ref from a note's text.
func refOf(text string) string {
	f := strings.Fields(text)
	if len(f) < 2 || f[0] != "cluster" {
		return ""
	}
	return f[1]
}

// checkSession checks one session's stored events: 1..seq without a gap
// or a repeat; it returns them by the ref in their note's text.
func checkSession(t *testing.T, sid string, seq int64, evs []eventRow) map[string][]int64 {
	t.Helper()
	refs := map[string][]int64{}
	want := int64(1)
	for _, e := range evs {
		if e.seq != want {
			t.Errorf("session %s: event seq %d where %d was due (a gap or a repeat)", sid, e.seq, want)
		}
		want = e.seq + 1
		if e.typ != "note.added" {
			continue
		}
		var d struct{ Note struct{ Text string } }
		json.Unmarshal([]byte(e.payload), &d)
		if r := refOf(d.Note.Text); r != "" {
			refs[r] = append(refs[r], e.seq)
		}
	}
	if int64(len(evs)) != seq {
		t.Errorf("session %s: sessions.seq is %d but %d events are stored", sid, seq, len(evs))
	}
	return refs
}

// checkLog compares the stored log with what the clients were told:
// every acked ref stored exactly once, at its acked seq; no ref stored
// twice; each session's events 1..seq. With final, every ref sent must
// have been acked. It returns the number of acked refs. The clients are
// read first, the log after (in one snapshot): an ack means on disk, so
// whatever was acked before must be there.
func checkLog(t *testing.T, l *logDB, clients []*client, final bool) int {
	t.Helper()
	sts := make([]stats, len(clients))
	for i, c := range clients {
		sts[i] = c.stats()
	}
	var sessions []string
	seen := map[string]bool{}
	for _, c := range clients {
		if !seen[c.seat.Session] {
			seen[c.seat.Session] = true
			sessions = append(sessions, c.seat.Session)
		}
	}
	seqs, evs, err := l.snapshot(sessions)
	if err != nil {
		t.Fatalf("read the log: %v", err)
	}
	logs := map[string]map[string][]int64{}
	for _, sid := range sessions {
		logs[sid] = checkSession(t, sid, seqs[sid], evs[sid])
	}
	for sid, refs := range logs {
		for r, seqs := range refs {
			if len(seqs) > 1 {
				t.Errorf("session %s: ref %s stored %d times, at seqs %v", sid, r, len(seqs), seqs)
			}
		}
	}
	total := 0
	for i, c := range clients {
		st := sts[i]
		for _, p := range st.problems {
			t.Error(p)
		}
		if final && st.pending > 0 {
			t.Errorf("client %d: %d refs never acked", c.n, st.pending)
		}
		refs := logs[c.seat.Session]
		for r, a := range st.acks {
			if got := refs[r]; len(got) != 1 || got[0] != a.Seq {
				t.Errorf("client %d: ref %s acked at seq %d, stored at %v", c.n, r, a.Seq, got)
			}
		}
		total += len(st.acks)
	}
	return total
}

// checkNeverClosed: the clients connected at from to a node that stayed
// up kept that connection until to.
func checkNeverClosed(t *testing.T, clients []*client, from, to time.Time, survived func(url string) bool) int {
	t.Helper()
	n := 0
	for _, c := range clients {
		st := c.stats()
		for _, cr := range st.conns {
			if cr.Opened.After(from) || !survived(cr.URL) {
				continue
			}
			if !cr.Closed.IsZero() && cr.Closed.Before(from) {
				continue
			}
			n++
			if !cr.Closed.IsZero() && cr.Closed.Before(to) {
				t.Errorf("client %d on surviving %s: closed with %d, %v after the kill", c.n, cr.URL, cr.Code, cr.Closed.Sub(from).Round(time.Millisecond))
			}
		}
	}
	return n
}

// firstAckAfter is, per session, how long after at the first ack came.
func firstAckAfter(clients []*client, at time.Time) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, c := range clients {
		for _, a := range c.stats().acks {
			if !a.At.After(at) {
				continue
			}
			d := a.At.Sub(at)
			if cur, ok := out[c.seat.Session]; !ok || d < cur {
				out[c.seat.Session] = d
			}
		}
	}
	return out
}

// summary of the clients for the log.
func summary(clients []*client) string {
	acks, events, conns, sent := 0, 0, 0, 0
	refused := map[string]int{}
	for _, c := range clients {
		st := c.stats()
		acks += len(st.acks)
		events += st.events
		conns += len(st.conns)
		sent += st.sent
		for k, v := range st.refused {
			refused[k] += v
		}
	}
	s := fmt.Sprintf("%d clients: %d refs sent, %d acked, %d events delivered, %d connections", len(clients), sent, acks, events, conns)
	if len(refused) > 0 {
		s += fmt.Sprintf(", hellos refused %v", refused)
	}
	return s
}

// drain stops new notes and waits until every ref sent was acked.
func drain(t *testing.T, clients []*client, limit time.Duration) {
	t.Helper()
	for _, c := range clients {
		c.pause()
	}
	deadline := time.Now().Add(limit)
	for {
		left := 0
		for _, c := range clients {
			left += c.stats().pending
		}
		if left == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d refs still without an answer %v after the load stopped", left, limit)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// durations formats a map of durations sorted by key.
func durations(m map[string]time.Duration) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %.8s:%v", k, m[k].Round(time.Millisecond))
	}
	return b.String()
}
