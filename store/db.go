// Package store keeps Rembuk's sessions in SQLite: embedded migrations, the
// event log, and one writer goroutine that group-commits the changes of
// every room (one fsync per batch). It speaks board types and nothing of
// HTTP.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	// the SQLite driver (cgo)

	"rembuk/board"
	"rembuk/store/internal/jobq"
)

// timeFormat is the one representation of time in the database.
const timeFormat = time.RFC3339Nano

// ErrUnavailable is returned for writes after a failed commit: SQLite's
// state after a failed fsync is unknown, so the store refuses rather than
// retries (the "fsyncgate" lesson).
var ErrUnavailable = board.Errorf(board.CodeUnavailable, "the server cannot store changes right now")

// DB is the SQLite store: one writer connection driven by one goroutine, and
// a pool of readers.
type DB struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	log    *slog.Logger

	q       *jobq.Queue[*job] // the rooms' jobs to the writer (writer.go)
	cpDone  chan struct{}
	cpNow   chan struct{} // the WAL passed walCap: the writer checkpoints
	commits atomic.Int64  // commits since the last checkpoint
	failed  atomic.Pointer[error]
	behind  map[string]*backlog // sessions whose snapshot lags their log; writer goroutine only
	lastSeq map[string]int64    // each written session's last seq; writer goroutine only
	catchMe chan chan struct{}  // catch every snapshot up now (tests)

	// The commit delay (delay.go).
	expectMu  sync.Mutex
	expecting map[string]bool // sessions whose rooms announced a Submit
	inflight  atomic.Int64    // len(expecting)
	onWay     atomic.Int64    // withdrawn Expects whose jobs are not queued yet (delay.go)
	commitAvg int64           // mean commit duration, ns; writer goroutine only
	delays    atomic.Int64    // commits that waited for announced changes
	batches   atomic.Int64    // commits made (tests)
	now       func() time.Time
	after     func(time.Duration) <-chan time.Time
	closeMu   sync.Mutex
	closed    bool
}

// job is one unit of work for the writer; it runs inside the batch's
// transaction under its own savepoint, so a job that fails alone does not
// fail the others.
type job struct {
	fn   func(tx *sql.Tx) error
	done chan error
}

func dsn(path string, writer bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	// Keep each connection's prepared statements: the writer runs the same
	// dozen statements for every change, and preparing them again each
	// time was a third of its SQLite time (docs/performance.md).
	q.Set("_stmt_cache_size", "32")
	if writer {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path, applies the
// migrations and starts the writer.
func Open(path string, log *slog.Logger) (*DB, error) {
	return open(path, log, catchUpEvery)
}

// open is Open with the catch-up period (tests stop the timed catch-up to
// look at the tables between commits).
func open(path string, log *slog.Logger, catchUp time.Duration) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
	}
	w, err := sql.Open(writerDriver, dsn(path, true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	db := &DB{path: path, writer: w, reader: r, log: log,
		q: jobq.New[*job](4096, ErrUnavailable), cpDone: make(chan struct{}), cpNow: make(chan struct{}, 1), catchMe: make(chan chan struct{}),
		expecting: map[string]bool{}, now: time.Now, after: time.After, lastSeq: map[string]int64{}}
	if err := db.quickCheck(); err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	if err := db.migrate(); err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	if db.behind, err = db.sessionsBehind(); err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	go db.run(catchUp)
	go db.checkpointer()
	return db, nil
}

// Healthy reports whether the store can serve: the database answers and no
// commit has failed.
func (db *DB) Healthy(ctx context.Context) error {
	if p := db.failed.Load(); p != nil {
		return ErrUnavailable
	}
	return db.reader.PingContext(ctx)
}

// Close stops the writer after the queued jobs and closes the database.
func (db *DB) Close() error {
	db.closeMu.Lock()
	defer db.closeMu.Unlock()
	if db.closed {
		return nil
	}
	db.closed = true
	db.q.Close()
	<-db.cpDone
	// The writer closes last: the last connection checkpoints the WAL
	// into the database file and removes it.
	err1 := db.reader.Close()
	err2 := db.writer.Close()
	return errors.Join(err1, err2)
}

// Backup writes a consistent copy of the live database to out (VACUUM INTO
// reads one snapshot while writers go on).
func (db *DB) Backup(ctx context.Context, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s already exists", out)
	}
	_, err := db.reader.ExecContext(ctx, `VACUUM INTO ?`, out)
	return err
}

// IntegrityCheck runs PRAGMA integrity_check and returns its answer.
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var rows []string
	r, err := db.reader.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return "", err
	}
	defer r.Close()
	for r.Next() {
		var s string
		if err := r.Scan(&s); err != nil {
			return "", err
		}
		rows = append(rows, s)
	}
	return strings.Join(rows, "\n"), r.Err()
}
