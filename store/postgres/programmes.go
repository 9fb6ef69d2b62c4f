package postgres

// Programmes (program ZI), as the SQLite store keeps them: a header, the
// hash of the key that manages it, and the sessions it holds. The register
// is built by the server from the sessions' states.

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"rembuk/board"
)

// ErrProgrammeNotFound is returned for an unknown programme.
var ErrProgrammeNotFound = board.Errorf(board.CodeNotFound, "programme not found")

// CreateProgramme stores a new programme with the hash of its key.
func (db *DB) CreateProgramme(ctx context.Context, p board.Programme, keyHash []byte) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO programmes (id, key_hash, data, created_at) VALUES ($1, $2, $3, $4)`,
		p.ID, nonNil(keyHash), string(data), p.CreatedAt)
	return err
}

// Programme returns a programme and the hash of its key.
func (db *DB) Programme(ctx context.Context, id string) (board.Programme, []byte, error) {
	var p board.Programme
	var data string
	var hash []byte
	err := db.pool.QueryRow(ctx, `SELECT data, key_hash FROM programmes WHERE id = $1`, id).Scan(&data, &hash)
	if err != nil {
		return p, nil, notFound(err, ErrProgrammeNotFound)
	}
	return p, hash, json.Unmarshal([]byte(data), &p)
}

// SetProgrammeKey replaces the hash of a programme's key (rotation).
func (db *DB) SetProgrammeKey(ctx context.Context, id string, keyHash []byte) error {
	tag, err := db.pool.Exec(ctx, `UPDATE programmes SET key_hash = $2 WHERE id = $1`, id, nonNil(keyHash))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrProgrammeNotFound
	}
	return nil
}

// CreateProgrammeSession stores a new session inside a programme in one
// transaction: the session with the actions it starts with, and its link
// (the programme's row is locked, so positions are taken one by one).
func (db *DB) CreateProgrammeSession(ctx context.Context, programmeID string, sess board.Session, passcodeHash []byte, fac board.Participant, columns []board.Column, actions []board.Action) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM programmes WHERE id = $1 FOR UPDATE`, programmeID).Scan(&one)
		if err != nil {
			return notFound(err, ErrProgrammeNotFound)
		}
		if err := insertSession(ctx, tx, sess, passcodeHash, fac, columns, actions); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO programme_sessions (programme_id, session_id, position, added_at)
			VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM programme_sessions WHERE programme_id = $1), $3)`,
			programmeID, sess.ID, sess.CreatedAt)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return board.Errorf(board.CodeConflict, "the session already belongs to a programme")
		}
		return err
	})
}

// ProgrammeSessions lists the ids of a programme's sessions in the order
// they were added.
func (db *DB) ProgrammeSessions(ctx context.Context, id string) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT session_id FROM programme_sessions WHERE programme_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// SessionProgramme returns the id of the programme a session belongs to,
// "" when none.
func (db *DB) SessionProgramme(ctx context.Context, sessionID string) (string, error) {
	var id string
	err := db.pool.QueryRow(ctx, `SELECT programme_id FROM programme_sessions WHERE session_id = $1`, sessionID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return id, err
}
