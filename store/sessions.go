package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"

	"rembuk/board"
	"rembuk/store/eventlog"
)

// ErrNotFound is returned when a session or code does not exist.
var ErrNotFound = board.Errorf(board.CodeNotFound, "session not found")

// ErrCodeTaken is returned when a join code is already in use.
var ErrCodeTaken = board.Errorf(board.CodeConflict, "join code taken")

// CreateSession stores a new session at seq 0 with its facilitator (the
// token's hash only) and the template's columns.
func (db *DB) CreateSession(ctx context.Context, sess board.Session, passcodeHash []byte, fac board.Participant, columns []board.Column) error {
	data, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error { return insertSession(tx, sess, data, passcodeHash, fac, columns) })
}

// insertSession writes a new session's rows (CreateSession, and
// CreateProgrammeSession inside its own transaction).
func insertSession(tx *sql.Tx, sess board.Session, data []byte, passcodeHash []byte, fac board.Participant, columns []board.Column) error {
	_, err := tx.Exec(`INSERT INTO sessions (id, join_code, passcode_hash, seq, data, created_at) VALUES (?, ?, ?, 0, ?, ?)`,
		sess.ID, sess.JoinCode, nonNil(passcodeHash), string(data), sess.CreatedAt.UTC().Format(timeFormat))
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
		return ErrCodeTaken
	}
	if err != nil {
		return err
	}
	if err := putParticipant(tx, sess.ID, &fac); err != nil {
		return err
	}
	for i := range columns {
		if err := putEntity(tx, sess.ID, board.EntColumn, columns[i].ID, &columns[i]); err != nil {
			return err
		}
	}
	return nil
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// sessionByCode returns the id and passcode hash of the session with a join code.
func (db *DB) sessionByCode(ctx context.Context, code string) (id string, passcodeHash []byte, err error) {
	err = db.reader.QueryRowContext(ctx, `SELECT id, passcode_hash FROM sessions WHERE join_code = ?`, code).Scan(&id, &passcodeHash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, ErrNotFound
	}
	return id, passcodeHash, err
}

// SessionExists reports whether a session exists.
func (db *DB) SessionExists(ctx context.Context, id string) (bool, error) {
	var n int
	err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE id = ?`, id).Scan(&n)
	return n > 0, err
}

// loadState rebuilds a session's live state and its idempotency keys: the
// snapshot in the entity tables, then the rows of every logged change after
// it (the snapshot's seq), in one read transaction. The seq is the log's last.
func (db *DB) loadState(ctx context.Context, id string) (*board.State, map[string]board.Ack, error) {
	tx, err := db.reader.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	var data string
	var applied int64
	err = tx.QueryRowContext(ctx, `SELECT data, seq FROM sessions WHERE id = ?`, id).Scan(&data, &applied)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	rows := eventlog.NewRows()
	rows.Add(&eventlog.Put{Kind: board.EntSession, Value: json.RawMessage(data)})
	if err := loadParticipants(ctx, tx, id, rows); err != nil {
		return nil, nil, err
	}
	if err := loadEntities(ctx, tx, id, rows); err != nil {
		return nil, nil, err
	}
	seq, _, err := replayLog(ctx, tx, id, applied, 0, rows)
	if err != nil {
		return nil, nil, err
	}
	st, err := rows.State()
	if err != nil {
		return nil, nil, fmt.Errorf("session %s: %w", id, err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events WHERE session_id = ?`, id).Scan(&st.Seq); err != nil {
		return nil, nil, err
	}
	st.Seq = max(st.Seq, seq)
	st.Recount()
	refs, err := loadRefs(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	return st, refs, nil
}

func loadParticipants(ctx context.Context, tx *sql.Tx, id string, rows *eventlog.Rows) error {
	r, err := tx.QueryContext(ctx, `SELECT id, data, token_hash FROM participants WHERE session_id = ?`, id)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		p := &eventlog.Put{Kind: board.EntParticipant}
		var data string
		if err := r.Scan(&p.ID, &data, &p.Hash); err != nil {
			return err
		}
		p.Value = json.RawMessage(data)
		rows.Add(p)
	}
	return r.Err()
}

func loadEntities(ctx context.Context, tx *sql.Tx, id string, rows *eventlog.Rows) error {
	r, err := tx.QueryContext(ctx, `SELECT kind, id, data FROM entities WHERE session_id = ?`, id)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		p := &eventlog.Put{}
		var data string
		if err := r.Scan(&p.Kind, &p.ID, &data); err != nil {
			return err
		}
		p.Value = json.RawMessage(data)
		rows.Add(p)
	}
	return r.Err()
}

func loadRefs(ctx context.Context, tx *sql.Tx, id string) (map[string]board.Ack, error) {
	rows, err := tx.QueryContext(ctx, `SELECT participant_id, ref, seq, coalesce(created_id, '') FROM events
		WHERE session_id = ? AND ref IS NOT NULL`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]board.Ack{}
	for rows.Next() {
		var p, ref string
		var a board.Ack
		if err := rows.Scan(&p, &ref, &a.Seq, &a.CreatedID); err != nil {
			return nil, err
		}
		out[board.RefKey(p, ref)] = a
	}
	return out, rows.Err()
}

// Submit stores a room's batch of changes in the writer's next group
// commit: the changes take the session's next seqs, first and the ones
// after it in order, and one row per change is appended to the event log
// (the event, its ref, the rows it changed). It returns once all of it is
// on disk; the caller's changes are not modified. On error nothing of the
// batch is stored and first is 0. The other entity tables catch up later,
// off the ack path (catchup.go).
//
// epoch is the caller's ownership epoch of the session (0 = one node,
// unfenced); under any other epoch the job first checks that it is still
// the session's owner epoch (leases.go), else stores nothing and returns
// ErrFenced.
func (db *DB) Submit(ctx context.Context, sessionID string, epoch int64, changes []*board.Change) (first int64, err error) {
	defer db.arrived(sessionID) // whatever happens, the room's Expect is over
	if len(changes) == 0 {
		return 0, nil
	}
	// Encoded here, in the room's goroutine, so the writer only writes.
	payloads := make([]string, len(changes))
	puts := make([]any, len(changes))
	logged := make([][]eventlog.Put, len(changes))
	for i, c := range changes {
		b, err := json.Marshal(c.Event.Data)
		if err != nil {
			return 0, err
		}
		payloads[i] = string(b)
		if logged[i], puts[i], err = encodePuts(c.Puts); err != nil {
			return 0, err
		}
	}
	// Written by the writer's goroutine, read here only after it answered
	// nil (its answer is the synchronisation).
	var next int64
	err = db.writeFor(ctx, sessionID, func(tx *sql.Tx) error {
		if err := checkFence(tx, sessionID, epoch); err != nil {
			return err
		}
		// The writer remembers each session's last seq: reading it from
		// the log cost 4% of the server's CPU in W2.
		last, ok := db.lastSeq[sessionID]
		if !ok {
			if err := tx.QueryRow(`SELECT coalesce(max(seq), 0) FROM events WHERE session_id = ?`, sessionID).Scan(&last); err != nil {
				return err
			}
		}
		for i, c := range changes {
			// A participant's row is written at once as well: joins, role
			// changes and removals are rare, and the row is where the token
			// hash is looked for (the catch-up writes it again, unchanged).
			for _, p := range c.Puts {
				if pp, ok := p.Value.(*board.Participant); ok && p.Kind == board.EntParticipant {
					if err := putParticipant(tx, sessionID, pp); err != nil {
						return err
					}
				}
				// So is a new join code (session.rotateCode): joins look it
				// up in its column, and the old one must stop at once.
				if ss, ok := p.Value.(*board.Session); ok && p.Kind == board.EntSession && ss.JoinCode != "" {
					if _, err := tx.Exec(`UPDATE sessions SET join_code = ? WHERE id = ? AND join_code <> ?`,
						ss.JoinCode, sessionID, ss.JoinCode); err != nil {
						return err
					}
				}
			}
			var pid, ref, created any
			if c.Ref != "" {
				pid, ref, created = c.Event.ActorID, c.Ref, c.CreatedID
			}
			if _, err := tx.Exec(`INSERT INTO events (session_id, seq, type, payload, actor_id, at, participant_id, ref, created_id, puts)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				sessionID, last+1+int64(i), c.Event.Name, payloads[i], c.Event.ActorID, c.Event.At.UTC().Format(timeFormat),
				pid, ref, created, puts[i]); err != nil {
				return err
			}
		}
		// Only now, with every row of the job written: a job that fails
		// is rolled back to its savepoint and leaves both untouched.
		db.lastSeq[sessionID] = last + int64(len(changes))
		db.logged(sessionID, last+1, logged)
		next = last + 1
		return nil
	})
	if err != nil {
		return 0, err
	}
	return next, nil
}

func putEntity(tx *sql.Tx, sessionID, kind, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return putEntityJSON(tx, sessionID, kind, id, b)
}

func putEntityJSON(tx *sql.Tx, sessionID, kind, id string, b []byte) error {
	_, err := tx.Exec(`INSERT INTO entities (session_id, kind, id, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (session_id, kind, id) DO UPDATE SET data = excluded.data`, sessionID, kind, id, string(b))
	return err
}

func putParticipant(tx *sql.Tx, sessionID string, p *board.Participant) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return putParticipantJSON(tx, sessionID, p, b)
}

// putParticipantJSON writes a participant's row. The token hash is written
// on the first insert only; later puts (role, removal) never replace it.
func putParticipantJSON(tx *sql.Tx, sessionID string, p *board.Participant, b []byte) error {
	_, err := tx.Exec(`INSERT INTO participants (session_id, id, token_hash, data, joined_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (session_id, id) DO UPDATE SET data = excluded.data`,
		sessionID, p.ID, nonNil(p.TokenHash), string(b), p.JoinedAt.UTC().Format(timeFormat))
	return err
}

// eventsSince returns up to limit events after seq, in order.
func (db *DB) eventsSince(ctx context.Context, sessionID string, since int64, limit int) ([]board.Event, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT seq, type, payload, actor_id, at FROM events
		WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?`, sessionID, since, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []board.Event
	for rows.Next() {
		var ev board.Event
		var payload, at string
		if err := rows.Scan(&ev.Seq, &ev.Name, &payload, &ev.ActorID, &at); err != nil {
			return nil, err
		}
		if ev.Data, err = board.DecodeEventData(ev.Name, []byte(payload)); err != nil {
			return nil, fmt.Errorf("event %d: %w", ev.Seq, err)
		}
		if ev.At, err = time.Parse(timeFormat, at); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// DeleteSession removes a session and everything of it.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		delete(db.lastSeq, id)
		delete(db.behind, id)
		res, err := tx.Exec(`DELETE FROM sessions WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}
