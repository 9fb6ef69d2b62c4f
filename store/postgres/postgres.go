// Package postgres keeps Rembuk's sessions in PostgreSQL, for several
// nodes sharing one database (issue 15). It has the SQLite store's shape:
// the event log is the one write on a change's path, seq is advanced on the
// session's row in the same statement (fenced by the lease epoch), and one
// writer goroutine group-commits the changes of every room in one
// transaction (a pgx.Batch, one round trip). synchronous_commit is on: an
// ack still means on disk (on the primary, and on a synchronous standby
// when the operator configures one).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rembuk/board"
	"rembuk/store/internal/jobq"
)

// Errors a client may see (the same codes as the SQLite store's).
var (
	ErrNotFound      = board.Errorf(board.CodeNotFound, "session not found")
	ErrCodeTaken     = board.Errorf(board.CodeConflict, "join code taken")
	ErrPhotoNotFound = board.Errorf(board.CodeNotFound, "photo not found")
	ErrUnavailable   = board.Errorf(board.CodeUnavailable, "the server cannot store changes right now")
	// ErrFenced refuses a Submit made under a lease epoch that is no
	// longer the session's: another node took the room over.
	ErrFenced = &board.Error{Code: board.CodeFenced, Message: "another node owns this session now"}
)

// minConns is the pool's least size: the writer holds one connection per
// batch, loads and lease renewals need others beside it.
const minConns = 8

// connectTimeout bounds one connection attempt to one host when the URL
// sets no connect_timeout. A refused port fails at once, but a host that
// hangs (or whose machine is gone without a reset) would hold the attempt
// for ever, and with it a slot of the pool: the next host of a multi-host
// URL (the promoted standby, docs/cluster.md) would never be tried.
const connectTimeout = 5 * time.Second

// DB is the PostgreSQL store: a connection pool and the writer goroutine.
type DB struct {
	pool *pgxpool.Pool
	log  *slog.Logger

	q       *jobq.Queue[*job] // the rooms' jobs to the writer (writer.go)
	closeMu sync.Mutex
	closed  bool
	retried atomic.Int64 // batches run again with savepoints (tests)
	// batchTimeout is the const of that name; tests shorten it.
	batchTimeout time.Duration
}

// Open connects to the database at url (postgres://…), applies the
// migrations and starts the writer.
func Open(ctx context.Context, url string, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// Whatever the server's default: an ack means the commit is flushed.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	cfg.ConnConfig.RuntimeParams["application_name"] = "rembuk"
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.MaxConns = max(cfg.MaxConns, minConns)
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	cfg.BeforeConnect = (&hostOrder{}).beforeConnect // the host that served last first (hosts.go)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := &DB{pool: pool, log: log, q: jobq.New[*job](4096, ErrUnavailable), batchTimeout: batchTimeout}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	go db.run()
	return db, nil
}

// Healthy reports whether the database answers.
func (db *DB) Healthy(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		db.log.Warn("postgres does not answer", "err", err)
		return ErrUnavailable
	}
	return nil
}

// Close stops the writer after the queued jobs and closes the pool.
func (db *DB) Close() error {
	db.closeMu.Lock()
	defer db.closeMu.Unlock()
	if db.closed {
		return nil
	}
	db.closed = true
	db.q.Close()
	db.pool.Close()
	return nil
}

// Expect is the server's hint that a room will Submit shortly. PostgreSQL
// needs none: while a batch is on its way, the next one gathers what
// arrives, and the server's own commit_delay may group commits further.
func (db *DB) Expect(sessionID string) {}

// notFound maps "no row" to ErrNotFound.
func notFound(err error, notFound error) error {
	if errors.Is(err, errNoRows) {
		return notFound
	}
	return err
}
