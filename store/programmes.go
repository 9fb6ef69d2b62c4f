package store

// Programmes (program ZI): a header, the hash of the key that manages it,
// and the sessions it holds. The register is not stored: the server builds
// it from the sessions' states (board.BuildRegister).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/mattn/go-sqlite3"

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
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO programmes (id, key_hash, data, created_at) VALUES (?, ?, ?, ?)`,
			p.ID, nonNil(keyHash), string(data), p.CreatedAt.UTC().Format(timeFormat))
		return err
	})
}

// Programme returns a programme and the hash of its key.
func (db *DB) Programme(ctx context.Context, id string) (board.Programme, []byte, error) {
	var p board.Programme
	var data string
	var hash []byte
	err := db.reader.QueryRowContext(ctx, `SELECT data, key_hash FROM programmes WHERE id = ?`, id).Scan(&data, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil, ErrProgrammeNotFound
	}
	if err != nil {
		return p, nil, err
	}
	return p, hash, json.Unmarshal([]byte(data), &p)
}

// SetProgrammeKey replaces the hash of a programme's key (rotation): the
// old key stops working with this write.
func (db *DB) SetProgrammeKey(ctx context.Context, id string, keyHash []byte) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE programmes SET key_hash = ? WHERE id = ?`, nonNil(keyHash), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrProgrammeNotFound
		}
		return nil
	})
}

// CreateProgrammeSession stores a new session inside a programme, in one
// transaction: the session as CreateSession does, the actions it starts
// with (a monitoring session's copies of the open actions), and its link
// to the programme.
func (db *DB) CreateProgrammeSession(ctx context.Context, programmeID string, sess board.Session, passcodeHash []byte, fac board.Participant, columns []board.Column, actions []board.Action) error {
	data, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM programmes WHERE id = ?`, programmeID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrProgrammeNotFound
		}
		if err := insertSession(tx, sess, data, passcodeHash, fac, columns); err != nil {
			return err
		}
		for i := range actions {
			if err := putEntity(tx, sess.ID, board.EntAction, actions[i].ID, &actions[i]); err != nil {
				return err
			}
		}
		_, err := tx.Exec(`INSERT INTO programme_sessions (programme_id, session_id, position, added_at)
			VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM programme_sessions WHERE programme_id = ?), ?)`,
			programmeID, sess.ID, programmeID, sess.CreatedAt.UTC().Format(timeFormat))
		var se sqlite3.Error
		if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
			return board.Errorf(board.CodeConflict, "the session already belongs to a programme")
		}
		return err
	})
}

// ProgrammeSessions lists the ids of a programme's sessions in the order
// they were created.
func (db *DB) ProgrammeSessions(ctx context.Context, id string) ([]string, error) {
	return db.texts(ctx, `SELECT session_id FROM programme_sessions WHERE programme_id = ? ORDER BY position`, id)
}

// SessionProgramme returns the id of the programme a session belongs to,
// "" when none.
func (db *DB) SessionProgramme(ctx context.Context, sessionID string) (string, error) {
	var id string
	err := db.reader.QueryRowContext(ctx, `SELECT programme_id FROM programme_sessions WHERE session_id = ?`, sessionID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}
