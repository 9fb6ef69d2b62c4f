package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"rembuk/board"
	"rembuk/store/eventlog"
)

// CreateSession stores a new session at seq 0 with its facilitator (the
// token's hash only) and the template's columns: the snapshot its log
// replays over.
func (db *DB) CreateSession(ctx context.Context, sess board.Session, passcodeHash []byte, fac board.Participant, columns []board.Column) error {
	return insertSession(ctx, db.pool, sess, passcodeHash, fac, columns, nil)
}

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// insertSession writes a new session's row, its snapshot holding the
// facilitator, the columns and the actions it starts with.
func insertSession(ctx context.Context, db execer, sess board.Session, passcodeHash []byte, fac board.Participant, columns []board.Column, actions []board.Action) error {
	data, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	puts := []board.Put{{Kind: board.EntParticipant, ID: fac.ID, Value: &fac}}
	for i := range columns {
		puts = append(puts, board.Put{Kind: board.EntColumn, ID: columns[i].ID, Value: &columns[i]})
	}
	for i := range actions {
		puts = append(puts, board.Put{Kind: board.EntAction, ID: actions[i].ID, Value: &actions[i]})
	}
	_, snap, err := eventlog.Encode(puts)
	if err != nil {
		return err
	}
	_, err = db.Exec(ctx, `INSERT INTO sessions (id, join_code, passcode_hash, data, snapshot, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, sess.ID, sess.JoinCode, nonNil(passcodeHash), string(data), string(snap), sess.CreatedAt)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "sessions_join_code_key" {
		return ErrCodeTaken
	}
	return err
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// SessionByCode returns the id and passcode hash of the session with a
// join code.
func (db *DB) SessionByCode(ctx context.Context, code string) (id string, passcodeHash []byte, err error) {
	err = db.pool.QueryRow(ctx, `SELECT id, passcode_hash FROM sessions WHERE join_code = $1`, code).Scan(&id, &passcodeHash)
	if err != nil {
		return "", nil, notFound(err, ErrNotFound)
	}
	return id, passcodeHash, nil
}

// SessionExists reports whether a session is stored.
func (db *DB) SessionExists(ctx context.Context, id string) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1)`, id).Scan(&ok)
	return ok, err
}

// LoadState rebuilds a session's live state and its idempotency keys: the
// snapshot, then the puts of every logged change after it, in one
// repeatable-read transaction (store/eventlog, as the SQLite store does).
func (db *DB) LoadState(ctx context.Context, id string) (*board.State, map[string]board.Ack, error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback(ctx)
	var data, snap string
	var seq, snapSeq int64
	err = tx.QueryRow(ctx, `SELECT data, snapshot, snap_seq, seq FROM sessions WHERE id = $1`, id).Scan(&data, &snap, &snapSeq, &seq)
	if err != nil {
		return nil, nil, notFound(err, ErrNotFound)
	}
	rows := eventlog.NewRows()
	rows.Add(&eventlog.Put{Kind: board.EntSession, Value: json.RawMessage(data)})
	if err := rows.AddJSON([]byte(snap)); err != nil {
		return nil, nil, fmt.Errorf("session %s snapshot: %w", id, err)
	}
	refs := map[string]board.Ack{}
	r, err := tx.Query(ctx, `SELECT seq, puts, actor_id, ref, created_id FROM events WHERE session_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, nil, err
	}
	var s int64
	var puts, ref, created *string
	var actor string
	_, err = pgx.ForEachRow(r, []any{&s, &puts, &actor, &ref, &created}, func() error {
		if ref != nil {
			a := board.Ack{Seq: s}
			if created != nil {
				a.CreatedID = *created
			}
			refs[board.RefKey(actor, *ref)] = a
		}
		if puts == nil || s <= snapSeq {
			return nil
		}
		if err := rows.AddJSON([]byte(*puts)); err != nil {
			return fmt.Errorf("event %d: %w", s, err)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	st, err := rows.State()
	if err != nil {
		return nil, nil, fmt.Errorf("session %s: %w", id, err)
	}
	st.Seq = seq
	st.Recount()
	return st, refs, nil
}

// submitSQL appends a room's batch to the log and advances the session's
// seq in one statement: the UPDATE matches only while the caller's epoch
// is the session's owner epoch (or the caller is unfenced, epoch 0), and
// row-locks the session, so seqs are taken in order without gaps; when it
// matches nothing, nothing is inserted. The answer is how many events were
// written and the first seq.
const submitSQL = `WITH s AS (
	UPDATE sessions SET seq = seq + $3::bigint
	WHERE id = $1 AND ($2::bigint = 0 OR owner_epoch = $2::bigint)
	RETURNING seq - $3::bigint AS base
), ins AS (
	INSERT INTO events (session_id, seq, type, payload, actor_id, at, ref, created_id, puts)
	SELECT $1, s.base + x.n, x.type, x.payload, x.actor, x.at, x.ref, x.created, x.puts
	FROM s, unnest($4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::text[])
		WITH ORDINALITY AS x(type, payload, actor, at, ref, created, puts, n)
	RETURNING seq
)
SELECT count(*), coalesce(min(seq), 0) FROM ins`

// errMissed: the batch's statement matched no session row (fenced, or the
// session is gone); Submit tells which.
var errMissed = errors.New("no session row at this epoch")

// Submit stores a room's batch of changes in the writer's next group
// commit and returns the seq of the first (the others follow it). On error
// nothing of the batch is stored and first is 0. Under an epoch that is no
// longer the session's owner epoch it returns ErrFenced.
func (db *DB) Submit(ctx context.Context, sessionID string, epoch int64, changes []*board.Change) (int64, error) {
	if len(changes) == 0 {
		return 0, nil
	}
	n := len(changes)
	types, payloads, actors := make([]string, n), make([]string, n), make([]string, n)
	ats := make([]time.Time, n)
	refs, created, puts := make([]*string, n), make([]*string, n), make([]*string, n)
	code := ""
	// Written by the writer goroutine; read only after it answered nil.
	var first int64
	for i, c := range changes {
		b, err := json.Marshal(c.Event.Data)
		if err != nil {
			return 0, err
		}
		types[i], payloads[i], actors[i], ats[i] = c.Event.Name, string(b), c.Event.ActorID, c.Event.At
		if c.Ref != "" {
			refs[i], created[i] = &c.Ref, &c.CreatedID
		}
		_, pj, err := eventlog.Encode(c.Puts)
		if err != nil {
			return 0, err
		}
		if pj != nil {
			s := string(pj)
			puts[i] = &s
		}
		for _, p := range c.Puts {
			// A new join code (session.rotateCode) goes to its column at
			// once: joins look it up there, and the old one must stop.
			if ss, ok := p.Value.(*board.Session); ok && p.Kind == board.EntSession && ss.JoinCode != "" {
				code = ss.JoinCode
			}
		}
	}
	j := &job{
		queue: func(b *pgx.Batch) {
			b.Queue(submitSQL, sessionID, epoch, int64(n), types, payloads, actors, ats, refs, created, puts)
			if code != "" {
				b.Queue(`UPDATE sessions SET join_code = $2 WHERE id = $1 AND ($3::bigint = 0 OR owner_epoch = $3::bigint) AND join_code <> $2`,
					sessionID, code, epoch)
			}
		},
		read: func(br pgx.BatchResults) error {
			var written int64
			if err := br.QueryRow().Scan(&written, &first); err != nil {
				return err
			}
			if code != "" {
				if _, err := br.Exec(); err != nil {
					return err
				}
			}
			if written != int64(n) {
				first = 0
				return jobError{errMissed}
			}
			return nil
		},
	}
	err := db.write(ctx, j)
	if errors.Is(err, errMissed) {
		var owner int64
		e := db.pool.QueryRow(ctx, `SELECT owner_epoch FROM sessions WHERE id = $1`, sessionID).Scan(&owner)
		switch {
		case errors.Is(e, pgx.ErrNoRows):
			err = ErrNotFound
		case e != nil:
			err = e
		default:
			err = ErrFenced
		}
	}
	if err != nil {
		return 0, err
	}
	return first, nil
}

// EventsSince returns up to limit events after seq, in order.
func (db *DB) EventsSince(ctx context.Context, sessionID string, since int64, limit int) ([]board.Event, error) {
	rows, err := db.pool.Query(ctx, `SELECT seq, type, payload, actor_id, at FROM events
		WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, sessionID, since, limit)
	if err != nil {
		return nil, err
	}
	var out []board.Event
	var ev board.Event
	var payload string
	_, err = pgx.ForEachRow(rows, []any{&ev.Seq, &ev.Name, &payload, &ev.ActorID, &ev.At}, func() error {
		var err error
		if ev.Data, err = board.DecodeEventData(ev.Name, []byte(payload)); err != nil {
			return fmt.Errorf("event %d: %w", ev.Seq, err)
		}
		ev.At = ev.At.UTC()
		out = append(out, ev)
		return nil
	})
	return out, err
}

// DeleteSession removes a session and everything of it (its log, lease
// and photos cascade).
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}
