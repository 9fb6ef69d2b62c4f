package postgres

// The single writer: every room's Submit becomes a job; one goroutine
// gathers the jobs waiting into one pgx.Batch, which PostgreSQL runs as one
// implicit transaction (one round trip, one commit, one WAL flush).
//
// A job whose statement fails (a ref stored twice, a join code taken)
// aborts that transaction. Then the batch runs again in an explicit
// transaction with a savepoint per job: the failing job is rolled back to
// its savepoint and fails alone, the others commit. That slow path costs
// three round trips per job and is taken only when a statement failed.
// A job that is fenced does not fail a statement: its one statement matches
// no row, writes nothing, and the job alone answers ErrFenced.

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// maxBatchJobs bounds one group commit.
const maxBatchJobs = 2000

// batchTimeout bounds one batch's round trip and commit: past it the
// rooms are answered unavailable (the commit's outcome is unknown to them;
// a room reloads from the log, and resent refs are idempotent).
const batchTimeout = 15 * time.Second

var errNoRows = pgx.ErrNoRows

// job is one room's Submit: queue adds its statements to a batch, read
// reads their results in the same order (an error from read that is not a
// *pgconn.PgError or a connection error is the job's own answer).
type job struct {
	queue func(b *pgx.Batch)
	read  func(br pgx.BatchResults) error
	done  chan error
}

// jobError is a job's own answer (fenced, say): the transaction goes on.
type jobError struct{ err error }

func (e jobError) Error() string { return e.err.Error() }
func (e jobError) Unwrap() error { return e.err }

// write hands j to the writer and waits until its batch is committed (or
// ctx ends: the job may still commit, the outcome is unknown).
func (db *DB) write(ctx context.Context, j *job) error {
	j.done = make(chan error, 1)
	return db.q.Submit(ctx, j, j.done)
}

// run is the writer goroutine.
func (db *DB) run() {
	defer db.q.Stop()
	for {
		var first *job
		select {
		case first = <-db.q.Jobs():
		case <-db.q.Quit():
			// Finish what was queued before Close, then stop.
			db.q.Drain(func(j *job) { db.commit([]*job{j}) })
			return
		}
		db.commit(db.q.Batch(first, maxBatchJobs))
	}
}

// commit runs a batch and answers each job.
func (db *DB) commit(batch []*job) {
	ctx, cancel := context.WithTimeout(context.Background(), db.batchTimeout)
	defer cancel()
	errs, err := db.runBatch(ctx, batch)
	if refused(err) {
		// A job's statement was refused: nothing was committed. Again,
		// with a savepoint per job.
		db.retried.Add(1)
		errs, err = db.runSavepoints(ctx, batch)
	}
	if err != nil {
		db.log.Error("postgres commit failed", "err", err, "jobs", len(batch))
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			// The connection failed or hung: so may the pool's others,
			// to the same server (a primary that hangs, then a standby
			// promoted). They are dropped; new ones find the writable
			// host of the URL. Otherwise each next batch could take
			// another hung connection and wait out its timeout.
			db.pool.Reset()
		}
		for _, j := range batch {
			j.done <- ErrUnavailable
		}
		return
	}
	for i, j := range batch {
		j.done <- errs[i]
	}
}

// statementError is a job's statement refused inside a batch.
type statementError struct{ err error }

func (e statementError) Error() string { return e.err.Error() }
func (e statementError) Unwrap() error { return e.err }

// refused reports whether a batch failed because PostgreSQL refused a
// job's statement for its data (SQLSTATE class 22, data exception, or 23,
// integrity constraint violation): then nothing was committed, and the
// jobs may run again. A connection lost, a server shutting down, or an
// error while reading the commit's answer leave the outcome unknown and
// are never retried: the rooms reload from the log instead.
func refused(err error) bool {
	var se statementError
	var pe *pgconn.PgError
	if !errors.As(err, &se) || !errors.As(err, &pe) {
		return false
	}
	return strings.HasPrefix(pe.Code, "22") || strings.HasPrefix(pe.Code, "23")
}

// runBatch sends every job's statements in one batch: one implicit
// transaction. err is the batch's failure (nothing committed when it is a
// *pgconn.PgError); errs are the jobs' own answers.
func (db *DB) runBatch(ctx context.Context, batch []*job) (errs []error, err error) {
	b := &pgx.Batch{}
	for _, j := range batch {
		j.queue(b)
	}
	br := db.pool.SendBatch(ctx, b)
	errs = make([]error, len(batch))
	for i, j := range batch {
		if e := j.read(br); e != nil {
			var je jobError
			if !errors.As(e, &je) {
				br.Close()
				return nil, statementError{e}
			}
			errs[i] = je.err
		}
	}
	if err := br.Close(); err != nil {
		return nil, err
	}
	return errs, nil
}

// runSavepoints runs the batch in one explicit transaction, each job under
// a savepoint of its own.
func (db *DB) runSavepoints(ctx context.Context, batch []*job) (errs []error, err error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)
	errs = make([]error, len(batch))
	for i, j := range batch {
		sp, err := tx.Begin(ctx) // SAVEPOINT
		if err != nil {
			return nil, err
		}
		b := &pgx.Batch{}
		j.queue(b)
		br := sp.SendBatch(ctx, b)
		e := j.read(br)
		if ce := br.Close(); e == nil {
			e = ce
		}
		var je jobError
		switch {
		case e == nil:
			err = sp.Commit(ctx) // RELEASE
		case errors.As(e, &je):
			errs[i] = je.err
			err = sp.Rollback(ctx)
		default:
			var pe *pgconn.PgError
			if !errors.As(e, &pe) {
				return nil, e // the connection, not the job
			}
			errs[i] = e
			err = sp.Rollback(ctx) // ROLLBACK TO SAVEPOINT
		}
		if err != nil {
			return nil, err
		}
	}
	return errs, tx.Commit(ctx)
}
