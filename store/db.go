// Package store keeps Rembuk's sessions in SQLite: embedded migrations, the
// event log, and one writer goroutine that group-commits the changes of
// every room (one fsync per batch). It speaks board types and nothing of
// HTTP.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3" // the SQLite driver (cgo)

	"rembuk/board"
)

//go:embed migrations/*.sql
var migrations embed.FS

// timeFormat is the one representation of time in the database.
const timeFormat = time.RFC3339Nano

// maxBatchJobs bounds one group commit so a flood cannot grow a
// transaction without end.
const maxBatchJobs = 2000

// checkpointEvery is how often the checkpointer copies what the WAL holds
// into the database file, when something was committed since.
const checkpointEvery = 50 * time.Millisecond

// walCap is the WAL size past which the writer itself checkpoints between
// two batches. The background checkpoint runs beside the writer's commits,
// so under a load without pauses it seldom copies the last frames, and
// SQLite reuses the WAL from its start only after a checkpoint that did:
// at W2's 1,000 changes/s the WAL stays near 20-40 MB. The cap is high
// because each such checkpoint stalls the writer (a 64 MB cap cost W2
// most of what moving the checkpoint gained).
const walCap = 256 << 20

// writerDriver is the SQLite driver of the writer connection: it turns off
// SQLite's automatic checkpoint, which runs inside the commit that crosses
// 1,000 WAL pages and so adds the copy and two more fsyncs to that batch's
// latency (about 3-4 ms of W2's p99 on this machine). The checkpointer
// goroutine does it instead, off the commit path (docs/performance.md).
const writerDriver = "sqlite3-rembuk-writer"

func init() {
	sql.Register(writerDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint=0", nil)
		return err
	}})
}

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

	jobs    chan *job
	quit    chan struct{}
	done    chan struct{}
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
		jobs: make(chan *job, 4096), quit: make(chan struct{}), done: make(chan struct{}), cpDone: make(chan struct{}), cpNow: make(chan struct{}, 1), catchMe: make(chan chan struct{}),
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

// checkpointer copies committed WAL frames into the database file in the
// background (PASSIVE: it never waits for, nor blocks, the writer), so
// that commits do not pay for it and the WAL is reused from its start.
func (db *DB) checkpointer() {
	defer close(db.cpDone)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.quit:
			return
		case <-t.C:
		}
		if db.commits.Swap(0) == 0 || db.failed.Load() != nil {
			continue
		}
		if _, err := db.reader.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
			db.log.Warn("checkpoint failed", "err", err)
		}
		if st, err := os.Stat(db.path + "-wal"); err == nil && st.Size() > walCap {
			select {
			case db.cpNow <- struct{}{}:
			default:
			}
		}
	}
}

// migrate applies, in name order, each embedded migration not yet recorded,
// one transaction each.
func (db *DB) migrate() error {
	if _, err := db.writer.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	names, err := migrations.ReadDir("migrations")
	if err != nil {
		return err
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Name() < names[j].Name() })
	for _, f := range names {
		var n int
		if err := db.writer.QueryRow(`SELECT count(*) FROM schema_migrations WHERE name = ?`, f.Name()).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile("migrations/" + f.Name())
		if err != nil {
			return err
		}
		tx, err := db.writer.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", f.Name(), err)
		}
		if _, err := tx.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, f.Name(), time.Now().UTC().Format(timeFormat)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", f.Name(), err)
		}
	}
	return nil
}

// Migrations lists the applied migrations (for tests and operators).
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// write hands fn to the writer and waits until its batch is committed (or
// ctx ends; the job may still commit then, and the caller must treat the
// outcome as unknown).
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.writeFor(ctx, "", fn)
}

// writeFor is write for a session's batch: once the job is queued (or
// given up) the session's Expect is withdrawn.
func (db *DB) writeFor(ctx context.Context, sessionID string, fn func(tx *sql.Tx) error) error {
	defer db.arrived(sessionID)
	if p := db.failed.Load(); p != nil {
		return ErrUnavailable
	}
	// After Close the writer takes no more jobs; check first, since the
	// select below picks at random between a closed quit and a free slot.
	select {
	case <-db.quit:
		return ErrUnavailable
	default:
	}
	j := &job{fn: fn, done: make(chan error, 1)}
	// Withdrawn before the job is queued, so the writer never waits for
	// the very batch it already holds.
	db.arrived(sessionID)
	select {
	case db.jobs <- j:
	case <-db.quit:
		return ErrUnavailable
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-j.done:
		return err
	case <-db.done:
		// The writer has stopped. It answered j if it took j before
		// stopping; a job queued after its last look is never run.
		select {
		case err := <-j.done:
			return err
		default:
			return ErrUnavailable
		}
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run is the single writer: it takes every job waiting, runs them in one
// transaction, commits once, and answers each.
func (db *DB) run(catchUp time.Duration) {
	defer close(db.done)
	tick := time.NewTicker(catchUp)
	defer tick.Stop()
	for {
		var first *job
		select {
		case first = <-db.jobs:
		case <-tick.C:
			db.catchUp(false)
			continue
		case done := <-db.catchMe:
			db.catchUp(true)
			close(done)
			continue
		case <-db.cpNow:
			// No commit runs beside this one, so it copies every frame
			// and the next commit starts the WAL over.
			if _, err := db.writer.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
				db.log.Warn("checkpoint failed", "err", err)
			}
			continue
		case <-db.quit:
			// Finish what was queued before Close, then stop.
			for {
				select {
				case j := <-db.jobs:
					db.commit([]*job{j})
				default:
					// Leave the tables up to date: tools that read
					// them, and the next load, need no replay.
					db.catchUp(true)
					return
				}
			}
		}
		batch := []*job{first}
	drain:
		for len(batch) < maxBatchJobs {
			select {
			case j := <-db.jobs:
				batch = append(batch, j)
			default:
				break drain
			}
		}
		db.commit(db.awaitSiblings(batch))
	}
}

func (db *DB) commit(batch []*job) {
	if db.failed.Load() != nil {
		for _, j := range batch {
			j.done <- ErrUnavailable
		}
		return
	}
	errs := make([]error, len(batch))
	if err := db.runBatch(batch, errs); err != nil {
		db.fail(err, len(batch))
		for _, j := range batch {
			j.done <- ErrUnavailable
		}
		return
	}
	db.commits.Add(1)
	db.batches.Add(1)
	for i, j := range batch {
		j.done <- errs[i]
	}
}

// fail marks the store failed after a commit error: from now on it refuses
// every write.
func (db *DB) fail(err error, jobs int) {
	db.log.Error("store commit failed; refusing further writes", "err", err, "jobs", jobs)
	db.failed.Store(&err)
}

func (db *DB) runBatch(batch []*job, errs []error) error {
	tx, err := db.writer.Begin()
	if err != nil {
		return err
	}
	for i, j := range batch {
		if _, err := tx.Exec(`SAVEPOINT job`); err != nil {
			tx.Rollback()
			return err
		}
		if errs[i] = j.fn(tx); errs[i] != nil {
			if diskError(errs[i]) {
				// The disk failed under a statement (a cache spill that
				// filled it): the batch fails as a failed commit would.
				tx.Rollback()
				return errs[i]
			}
			if _, err := tx.Exec(`ROLLBACK TO job`); err != nil {
				tx.Rollback()
				return errors.Join(errs[i], err)
			}
		}
		if _, err := tx.Exec(`RELEASE job`); err != nil {
			tx.Rollback()
			return err
		}
	}
	t0 := db.now()
	err = tx.Commit()
	db.timeCommit(db.now().Sub(t0))
	return err
}

// diskError reports whether err is SQLite saying the disk or the file
// failed (full, I/O error, corrupt), as opposed to a refusal of one job.
func diskError(err error) bool {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code {
	case sqlite3.ErrFull, sqlite3.ErrIoErr, sqlite3.ErrCorrupt, sqlite3.ErrNotADB, sqlite3.ErrCantOpen:
		return true
	}
	return false
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
	close(db.quit)
	<-db.done
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
