package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"rembuk/board"
	"rembuk/store/eventlog"
)

// The event log is the only write on a change's path: one row per change
// carries the rows the change put (eventlog.Put, JSON). The entity tables
// (sessions.data, participants, entities) are a snapshot of the log up to
// sessions.seq. The writer brings them up to date between batches
// (catchUp), in transactions that do not fsync: if one is lost in a crash,
// the log still holds its rows and the next load replays them.

// catchUpEvery is how often the writer brings the snapshots up to date.
// Longer means fewer, larger catch-up transactions and a longer replay on
// load (at most this long of a session's changes).
const catchUpEvery = 500 * time.Millisecond

// catchUpBatch bounds the events one session applies per transaction, so
// that a change arriving meanwhile waits for at most that much (a few ms),
// and a long backlog is worked off in steps between the changes' commits.
const catchUpBatch = 256

// encodePuts is the puts of a change as the log keeps them, and the
// puts column of its event row (nil: NULL).
func encodePuts(puts []board.Put) ([]eventlog.Put, any, error) {
	out, b, err := eventlog.Encode(puts)
	if err != nil || b == nil {
		return out, nil, err
	}
	return out, string(b), nil
}

// backlog is what the writer committed to a session's log and has not yet
// written to its tables, kept in memory so that the catch-up need not read
// and decode it back: the puts of the events first, first+1, ... (one
// slice per event). A session behind its log with no backlog in memory
// (after a restart) is caught up from the log itself.
type backlog struct {
	first int64
	puts  [][]eventlog.Put
}

// logged records the puts of the events first.. just committed to the
// session's log (writer goroutine, inside the job that wrote them).
func (db *DB) logged(sessionID string, first int64, puts [][]eventlog.Put) {
	b := db.behind[sessionID]
	if b == nil {
		b = &backlog{first: first}
		db.behind[sessionID] = b
	}
	if b.first+int64(len(b.puts)) != first {
		b.first, b.puts = first, nil // not contiguous: the log covers the gap
	}
	b.puts = append(b.puts, puts...)
}

// applied drops from the backlog what the snapshot now holds (up to seq)
// and reports whether nothing is left.
func (b *backlog) applied(seq int64) bool {
	k := seq - b.first + 1
	switch {
	case k <= 0:
	case k >= int64(len(b.puts)):
		b.first, b.puts = seq+1, nil
	default:
		// Cleared first: the slice's array keeps its head until an append
		// moves it, and with it the applied puts' encoded rows.
		clear(b.puts[:k])
		b.first, b.puts = b.first+k, b.puts[k:]
	}
	return len(b.puts) == 0
}

// replayLog adds to rows the puts of the session's events after seq, in
// order (at most limit events; 0 = all). It returns the last seq read and
// how many events it read.
func replayLog(ctx context.Context, tx *sql.Tx, id string, after int64, limit int, rows *eventlog.Rows) (last int64, n int, err error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	r, err := tx.QueryContext(ctx, `SELECT seq, puts FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?`, id, after, limit)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	for r.Next() {
		var puts sql.NullString
		if err := r.Scan(&last, &puts); err != nil {
			return 0, 0, err
		}
		n++
		if !puts.Valid {
			continue
		}
		if err := rows.AddJSON([]byte(puts.String)); err != nil {
			return 0, 0, fmt.Errorf("event %d: %w", last, err)
		}
	}
	return last, n, r.Err()
}

// sessionsBehind lists the sessions whose log is ahead of their snapshot
// (at Open: what a crash or a stop left to catch up).
func (db *DB) sessionsBehind() (map[string]*backlog, error) {
	rows, err := db.writer.Query(`SELECT id FROM sessions AS s
		WHERE seq < (SELECT coalesce(max(seq), 0) FROM events WHERE session_id = s.id)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*backlog{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = nil // caught up from the log itself
	}
	return out, rows.Err()
}

// catchUpNow has the writer bring every snapshot up to date and waits
// for it (tests, and tools that read the tables).
func (db *DB) catchUpNow() {
	done := make(chan struct{})
	select {
	case db.catchMe <- done:
		<-done
	case <-db.q.Stopped():
	}
}

// catchUp brings the snapshots of the sessions behind their logs up to
// date, in transactions without an fsync (the next change's commit, or the
// checkpoint, syncs them). Unless all is set it stops between two sessions
// as soon as a change waits: changes come first. Runs on the writer's
// goroutine only.
func (db *DB) catchUp(all bool) {
	if len(db.behind) == 0 || db.failed.Load() != nil {
		return
	}
	if _, err := db.writer.Exec(`PRAGMA synchronous=NORMAL`); err != nil {
		db.fail(fmt.Errorf("catch-up: %w", err), 0)
		return
	}
	var err error
	for len(db.behind) > 0 && (all || db.q.Waiting() == 0) {
		if err = db.catchUpTx(all); err != nil {
			break
		}
	}
	if _, e := db.writer.Exec(`PRAGMA synchronous=FULL`); e != nil {
		// Never go on committing changes without the fsync.
		err = errors.Join(err, e)
	}
	if err != nil {
		db.fail(fmt.Errorf("catch-up: %w", err), 0)
	}
}

func (db *DB) catchUpTx(all bool) error {
	tx, err := db.writer.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	type step struct {
		to   int64
		more bool
	}
	done := map[string]step{}
	for id, b := range db.behind {
		if !all && db.q.Waiting() > 0 {
			break
		}
		to, more, err := catchUpSession(tx, id, b)
		if err != nil {
			return err
		}
		done[id] = step{to, more}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for id, st := range done {
		b := db.behind[id]
		if !st.more && (b == nil || b.applied(st.to)) {
			delete(db.behind, id)
		} else if b != nil {
			b.applied(st.to)
		}
	}
	return nil
}

// catchUpSession writes the rows of up to catchUpBatch events after the
// session's seq (what its snapshot holds) and moves it on: from the
// writer's backlog when it starts right there, else read from the log.
// It returns the seq the snapshot reached and whether more is left.
func catchUpSession(tx *sql.Tx, id string, b *backlog) (to int64, more bool, err error) {
	var snap int64
	err = tx.QueryRow(`SELECT seq FROM sessions WHERE id = ?`, id).Scan(&snap)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil // deleted meanwhile
	}
	if err != nil {
		return 0, false, err
	}
	rows := eventlog.NewRows()
	var n int
	if b != nil && b.first == snap+1 && len(b.puts) > 0 {
		n = min(len(b.puts), catchUpBatch)
		for _, ps := range b.puts[:n] {
			for i := range ps {
				rows.Add(&ps[i])
			}
		}
		to, more = snap+int64(n), n < len(b.puts)
	} else {
		if to, n, err = replayLog(context.Background(), tx, id, snap, catchUpBatch, rows); err != nil {
			return 0, false, err
		}
		more = n == catchUpBatch
	}
	if n == 0 {
		return snap, false, nil
	}
	for _, p := range rows.ByKey {
		if err := writeRow(tx, id, p); err != nil {
			return 0, false, err
		}
	}
	if _, err := tx.Exec(`UPDATE sessions SET seq = ? WHERE id = ?`, to, id); err != nil {
		return 0, false, err
	}
	return to, more, nil
}

// writeRow writes one put into the entity tables.
func writeRow(tx *sql.Tx, sessionID string, p *eventlog.Put) error {
	switch {
	case p.Kind == board.EntSession:
		if p.Value == nil {
			return nil
		}
		_, err := tx.Exec(`UPDATE sessions SET data = ? WHERE id = ?`, string(p.Value), sessionID)
		return err
	case p.Kind == board.EntParticipant && p.Value == nil:
		_, err := tx.Exec(`DELETE FROM participants WHERE session_id = ? AND id = ?`, sessionID, p.ID)
		return err
	case p.Kind == board.EntParticipant:
		var part board.Participant
		if err := json.Unmarshal(p.Value, &part); err != nil {
			return err
		}
		part.TokenHash = p.Hash
		return putParticipantJSON(tx, sessionID, &part, p.Value)
	case p.Value == nil:
		_, err := tx.Exec(`DELETE FROM entities WHERE session_id = ? AND kind = ? AND id = ?`, sessionID, p.Kind, p.ID)
		return err
	}
	return putEntityJSON(tx, sessionID, p.Kind, p.ID, p.Value)
}
