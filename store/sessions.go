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
	return db.write(ctx, func(tx *sql.Tx) error {
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
	})
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

// loadState rebuilds a session's live state and its idempotency keys.
func (db *DB) loadState(ctx context.Context, id string) (*board.State, map[string]board.Ack, error) {
	var data string
	var seq int64
	err := db.reader.QueryRowContext(ctx, `SELECT data, seq FROM sessions WHERE id = ?`, id).Scan(&data, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	var sess board.Session
	if err := json.Unmarshal([]byte(data), &sess); err != nil {
		return nil, nil, fmt.Errorf("session %s: %w", id, err)
	}
	st := board.NewState(sess)
	st.Seq = seq
	if err := db.loadParticipants(ctx, st); err != nil {
		return nil, nil, err
	}
	if err := db.loadEntities(ctx, st); err != nil {
		return nil, nil, err
	}
	st.Recount()
	refs, err := db.loadRefs(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return st, refs, nil
}

func (db *DB) loadParticipants(ctx context.Context, st *board.State) error {
	rows, err := db.reader.QueryContext(ctx, `SELECT data, token_hash FROM participants WHERE session_id = ?`, st.Session.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var data string
		var hash []byte
		if err := rows.Scan(&data, &hash); err != nil {
			return err
		}
		p := &board.Participant{}
		if err := json.Unmarshal([]byte(data), p); err != nil {
			return err
		}
		p.TokenHash = hash
		st.Load(board.EntParticipant, p)
	}
	return rows.Err()
}

func newEntity(kind string) any {
	switch kind {
	case board.EntColumn:
		return &board.Column{}
	case board.EntGroup:
		return &board.Group{}
	case board.EntNote:
		return &board.Note{}
	case board.EntLink:
		return &board.Link{}
	case board.EntAction:
		return &board.Action{}
	case board.EntRecord:
		return &board.Record{}
	case board.EntVote:
		return &board.Vote{}
	case board.EntScore:
		return &board.Score{}
	case board.EntAPKL:
		return &board.APKLRating{}
	}
	return nil
}

func (db *DB) loadEntities(ctx context.Context, st *board.State) error {
	rows, err := db.reader.QueryContext(ctx, `SELECT kind, data FROM entities WHERE session_id = ?`, st.Session.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, data string
		if err := rows.Scan(&kind, &data); err != nil {
			return err
		}
		v := newEntity(kind)
		if v == nil {
			return fmt.Errorf("unknown entity kind %q", kind)
		}
		if err := json.Unmarshal([]byte(data), v); err != nil {
			return err
		}
		st.Load(kind, v)
	}
	return rows.Err()
}

func (db *DB) loadRefs(ctx context.Context, id string) (map[string]board.Ack, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT participant_id, ref, seq, created_id FROM command_refs WHERE session_id = ?`, id)
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
// commit: it assigns each change the session's next seq, writes its rows,
// its event and its ref, and returns once all of it is on disk. On error
// nothing of the batch is stored.
func (db *DB) Submit(ctx context.Context, sessionID string, changes []*board.Change) error {
	if len(changes) == 0 {
		return nil
	}

	payloads := make([][]byte, len(changes))
	for i, c := range changes {
		b, err := json.Marshal(c.Event.Data)
		if err != nil {
			return err
		}
		payloads[i] = b
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		var last int64
		if err := tx.QueryRow(`UPDATE sessions SET seq = seq + ? WHERE id = ? RETURNING seq`, len(changes), sessionID).Scan(&last); err != nil {
			return err
		}
		first := last - int64(len(changes)) + 1
		for i, c := range changes {
			seq := first + int64(i)
			if err := writeChange(tx, sessionID, c, seq, payloads[i]); err != nil {
				return err
			}
		}
		for i, c := range changes {
			c.Event.Seq = first + int64(i)
		}
		return nil
	})
}

func writeChange(tx *sql.Tx, sessionID string, c *board.Change, seq int64, payload []byte) error {
	for _, p := range c.Puts {
		if err := applyPut(tx, sessionID, p); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`INSERT INTO events (session_id, seq, type, payload, actor_id, at) VALUES (?, ?, ?, ?, ?, ?)`,
		sessionID, seq, c.Event.Name, string(payload), c.Event.ActorID, c.Event.At.UTC().Format(timeFormat)); err != nil {
		return err
	}
	if c.Ref != "" {
		if _, err := tx.Exec(`INSERT INTO command_refs (session_id, participant_id, ref, seq, created_id) VALUES (?, ?, ?, ?, ?)`,
			sessionID, c.ParticipantID, c.Ref, seq, c.CreatedID); err != nil {
			return err
		}
	}
	return nil
}

func applyPut(tx *sql.Tx, sessionID string, p board.Put) error {
	switch p.Kind {
	case board.EntSession:
		b, err := json.Marshal(p.Value)
		if err != nil {
			return err
		}
		// The join code has its own column for SessionByCode; a new code
		// (session.rotateCode) replaces the old one in the same commit.
		_, err = tx.Exec(`UPDATE sessions SET data = ?, join_code = coalesce(nullif(?, ''), join_code) WHERE id = ?`,
			string(b), p.Value.(*board.Session).JoinCode, sessionID)
		return err
	case board.EntParticipant:
		return putParticipant(tx, sessionID, p.Value.(*board.Participant))
	}
	if p.Value == nil {
		_, err := tx.Exec(`DELETE FROM entities WHERE session_id = ? AND kind = ? AND id = ?`, sessionID, p.Kind, p.ID)
		return err
	}
	return putEntity(tx, sessionID, p.Kind, p.ID, p.Value)
}

func putEntity(tx *sql.Tx, sessionID, kind, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO entities (session_id, kind, id, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (session_id, kind, id) DO UPDATE SET data = excluded.data`, sessionID, kind, id, string(b))
	return err
}

func putParticipant(tx *sql.Tx, sessionID string, p *board.Participant) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	// The token hash is written on the first insert only; later puts
	// (role, removal) carry no token.
	_, err = tx.Exec(`INSERT INTO participants (session_id, id, token_hash, data, joined_at) VALUES (?, ?, ?, ?, ?)
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
