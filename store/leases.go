package store

// Leases (server.Leases): which node owns a session's room when several
// nodes share the database. SQLite has them too so that server tests can
// run several nodes in one process over one file; the clock is SQLite's
// (the machine's), as PostgreSQL's is the database server's.

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"rembuk/board"
)

// ErrFenced refuses a Submit made under a lease epoch that is no longer
// the session's: another node took the room over.
var ErrFenced = &board.Error{Code: board.CodeFenced, Message: "another node owns this session now"}

// nowMS is the database clock in milliseconds since 1970.
const nowMS = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`

// AcquireLease takes the session's lease for node when it is free,
// expired or node's already, and returns its new epoch; when another node
// holds it, epoch 0 and that node. An unknown session is ErrNotFound.
func (db *DB) AcquireLease(ctx context.Context, sessionID, node string, ttl time.Duration) (epoch int64, owner string, err error) {
	err = db.write(ctx, func(tx *sql.Tx) error {
		epoch, owner = 0, ""
		// The first epoch follows owner_epoch, so it grows even if a
		// lease row were ever lost.
		err := tx.QueryRow(`INSERT INTO session_leases (session_id, node, epoch, until)
			SELECT id, ?, owner_epoch + 1, `+nowMS+` + ? FROM sessions WHERE id = ?
			ON CONFLICT (session_id) DO UPDATE SET node = excluded.node, epoch = session_leases.epoch + 1, until = excluded.until
			WHERE session_leases.until < `+nowMS+` OR session_leases.node = excluded.node
			RETURNING epoch`, node, ttl.Milliseconds(), sessionID).Scan(&epoch)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRow(`SELECT node FROM session_leases WHERE session_id = ?`, sessionID).Scan(&owner)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(`UPDATE sessions SET owner_epoch = ? WHERE id = ?`, epoch, sessionID)
		return err
	})
	if err != nil {
		return 0, "", err
	}
	return epoch, owner, nil
}

// RenewLeases extends every unexpired lease of node by ttl, in one
// statement, and returns the sessions it still holds.
func (db *DB) RenewLeases(ctx context.Context, node string, ttl time.Duration) (held []string, err error) {
	err = db.write(ctx, func(tx *sql.Tx) error {
		held = nil
		rows, err := tx.Query(`UPDATE session_leases SET until = `+nowMS+` + ?
			WHERE node = ? AND until >= `+nowMS+` RETURNING session_id`, ttl.Milliseconds(), node)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			held = append(held, id)
		}
		return rows.Err()
	})
	return held, err
}

// ReleaseLease gives the lease up (it expires now) if node still holds it
// at epoch. The epoch stays: the next owner's is higher.
func (db *DB) ReleaseLease(ctx context.Context, sessionID, node string, epoch int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE session_leases SET until = 0 WHERE session_id = ? AND node = ? AND epoch = ?`, sessionID, node, epoch)
		return err
	})
}

// LeaseOwner names the node holding the session's unexpired lease ("" and
// 0 when none does).
func (db *DB) LeaseOwner(ctx context.Context, sessionID string) (node string, epoch int64, err error) {
	err = db.reader.QueryRowContext(ctx, `SELECT node, epoch FROM session_leases WHERE session_id = ? AND until >= `+nowMS, sessionID).Scan(&node, &epoch)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	return node, epoch, err
}

// checkFence refuses a job of a Submit made under epoch (0: unfenced, one
// node) when the session's owner epoch has moved on. It runs in the job's
// transaction, before anything of the job is written.
func checkFence(tx *sql.Tx, sessionID string, epoch int64) error {
	if epoch == 0 {
		return nil
	}
	var cur int64
	err := tx.QueryRow(`SELECT owner_epoch FROM sessions WHERE id = ?`, sessionID).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if cur != epoch {
		return ErrFenced
	}
	return nil
}
