package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"

	"rembuk/board"
)

// ErrCorrupt is why Open refuses a database file that SQLite reports
// damaged (PRAGMA quick_check, or SQLITE_CORRUPT / SQLITE_NOTADB at once).
// Serving it would write new sessions into a file that loses them.
var ErrCorrupt = errors.New("the database file is damaged")

// errDamaged is what a client gets once corruption was seen at run time:
// the store refuses every write after it, and Healthy reports it.
var errDamaged = board.Errorf(board.CodeUnavailable, "the database is damaged; nothing more can be stored until the operator restores it")

// corrupt reports whether err is SQLite saying the file is damaged.
func corrupt(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB)
}

// quickCheck runs PRAGMA quick_check (every page and b-tree, without the
// index-to-table cross-check of integrity_check, so a large file takes
// seconds, not minutes) before the migrations touch the file.
func (db *DB) quickCheck() error {
	rows, err := db.writer.Query(`PRAGMA quick_check`)
	if err != nil {
		if corrupt(err) {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, db.path, err)
		}
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		problems = append(problems, s)
	}
	if err := rows.Err(); err != nil {
		if corrupt(err) {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, db.path, err)
		}
		return err
	}
	if len(problems) == 1 && problems[0] == "ok" {
		return nil
	}
	if len(problems) > 5 {
		problems = append(problems[:5], fmt.Sprintf("(%d more)", len(problems)-5))
	}
	return fmt.Errorf("%w: %s: PRAGMA quick_check: %s", ErrCorrupt, db.path, strings.Join(problems, "; "))
}

// observe passes err on, unless SQLite says the file is damaged: then the
// store fails as after a failed commit (Healthy errs, writes are refused)
// and the caller gets errDamaged instead of an internal error.
func (db *DB) observe(err error) error {
	if err == nil || !corrupt(err) {
		return err
	}
	if db.failed.CompareAndSwap(nil, &err) {
		db.log.Error("the database file is damaged; refusing writes, /healthz answers 503", "err", err)
	}
	return errDamaged
}

// SessionByCode returns the id and passcode hash of the session with a join code.
func (db *DB) SessionByCode(ctx context.Context, code string) (string, []byte, error) {
	id, hash, err := db.sessionByCode(ctx, code)
	return id, hash, db.observe(err)
}

// LoadState rebuilds a session's live state and its idempotency keys.
func (db *DB) LoadState(ctx context.Context, id string) (*board.State, map[string]board.Ack, error) {
	st, refs, err := db.loadState(ctx, id)
	if err = db.observe(err); err != nil {
		return nil, nil, err
	}
	return st, refs, nil
}

// EventsSince returns up to limit events after seq, in order.
func (db *DB) EventsSince(ctx context.Context, sessionID string, since int64, limit int) ([]board.Event, error) {
	evs, err := db.eventsSince(ctx, sessionID, since, limit)
	return evs, db.observe(err)
}
