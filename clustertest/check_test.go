package clustertest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// logDB reads the stored log (SQLite or PostgreSQL) for the checks.
type logDB struct {
	db *sql.DB
	pg bool // $1 placeholders instead of ?
}

func (l *logDB) q(query string) string {
	if !l.pg {
		return query
	}
	n := 0
	return replaceEach(query, "?", func() string { n++; return fmt.Sprintf("$%d", n) })
}

func replaceEach(s, old string, next func() string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		b.WriteString(next())
		s = s[i+len(old):]
	}
}

// refOf extracts the ref from a note's text.
func refOf(text string) string {
	f := strings.Fields(text)
	if len(f) < 2 || f[0] != "cluster" {
		return ""
	}
	return f[1]
}

// sessionLog is one session's stored log as the checks need it.
type sessionLog struct {
	seq  int64              // sessions.seq
	n    int64              // events stored
	refs map[string][]int64 // note.added events by the ref in their text
}

// read reads one session in tx (one snapshot for every session).
func (l *logDB) read(t *testing.T, tx *sql.Tx, sid string) sessionLog {
	t.Helper()
	var s sessionLog
	if err := tx.QueryRow(l.q(`SELECT seq FROM sessions WHERE id = ?`), sid).Scan(&s.seq); err != nil {
		t.Fatalf("session %s: %v", sid, err)
	}
	rows, err := tx.Query(l.q(`SELECT seq, type, payload FROM events WHERE session_id = ? ORDER BY seq`), sid)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	s.refs = map[string][]int64{}
	want := int64(1)
	for rows.Next() {
		var seq int64
		var typ, payload string
		if err := rows.Scan(&seq, &typ, &payload); err != nil {
			t.Fatal(err)
		}
		s.n++
		if seq != want {
			t.Errorf("session %s: event seq %d where %d was due (a gap or a repeat)", sid, seq, want)
		}
		want = seq + 1
		if typ != "note.added" {
			continue
		}
		var d struct{ Note struct{ Text string } }
		json.Unmarshal([]byte(payload), &d)
		if r := refOf(d.Note.Text); r != "" {
			s.refs[r] = append(s.refs[r], seq)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if s.n != s.seq {
		t.Errorf("session %s: sessions.seq is %d but %d events are stored", sid, s.seq, s.n)
	}
	return s
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
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var opts *sql.TxOptions
	if l.pg {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := l.db.BeginTx(ctx, opts)
	if err != nil {
		t.Fatalf("read the log: %v", err)
	}
	defer tx.Rollback()
	logs := map[string]sessionLog{}
	for _, c := range clients {
		if _, ok := logs[c.seat.Session]; !ok {
			logs[c.seat.Session] = l.read(t, tx, c.seat.Session)
		}
	}
	for sid, s := range logs {
		for r, seqs := range s.refs {
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
		s := logs[c.seat.Session]
		for r, a := range st.acks {
			if got := s.refs[r]; len(got) != 1 || got[0] != a.Seq {
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
	for _, c := range clients {
		st := c.stats()
		acks += len(st.acks)
		events += st.events
		conns += len(st.conns)
		sent += st.sent
	}
	return fmt.Sprintf("%d clients: %d refs sent, %d acked, %d events delivered, %d connections", len(clients), sent, acks, events, conns)
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
