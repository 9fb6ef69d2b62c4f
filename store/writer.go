package store

// The single writer: every room's Submit becomes a job; one goroutine
// gathers the jobs into one transaction (a savepoint per job) and commits
// them with one fsync.

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mattn/go-sqlite3"
)

// maxBatchJobs bounds one group commit so a flood cannot grow a
// transaction without end.
const maxBatchJobs = 2000

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
	j := &job{fn: fn, done: make(chan error, 1)}
	// Withdrawn before the job is queued, so the writer never waits for
	// the very batch it already holds; counted as on its way until it is
	// queued, so a writer waiting for it does not give up in between.
	return db.q.SubmitThen(ctx, j, j.done, db.onItsWay(sessionID))
}

// run is the single writer: it takes every job waiting, runs them in one
// transaction, commits once, and answers each.
func (db *DB) run(catchUp time.Duration) {
	defer db.q.Stop()
	tick := time.NewTicker(catchUp)
	defer tick.Stop()
	for {
		var first *job
		select {
		case first = <-db.q.Jobs():
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
		case <-db.q.Quit():
			// Finish what was queued before Close, then stop, leaving the
			// tables up to date: tools that read them, and the next load,
			// need no replay.
			db.q.Drain(func(j *job) { db.commit([]*job{j}) })
			db.catchUp(true)
			return
		}
		db.commit(db.awaitSiblings(db.q.Batch(first, maxBatchJobs)))
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
	if len(batch) == 1 {
		return db.runAlone(tx, batch[0], errs)
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
	return db.commitTimed(tx)
}

// runAlone is runBatch for a batch of one job, the common case when the
// disk is fast: the transaction is the job's savepoint, so a job refused
// for its data rolls the transaction back and nothing is committed. Two
// statements fewer per commit (SAVEPOINT, RELEASE).
func (db *DB) runAlone(tx *sql.Tx, j *job, errs []error) error {
	if errs[0] = j.fn(tx); errs[0] != nil {
		rerr := tx.Rollback()
		if diskError(errs[0]) {
			return errs[0]
		}
		return rerr
	}
	return db.commitTimed(tx)
}

// commitTimed commits a batch's transaction, folding its duration into
// the commit delay's bound (timeCommit).
func (db *DB) commitTimed(tx *sql.Tx) error {
	t0 := db.now()
	err := tx.Commit()
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
