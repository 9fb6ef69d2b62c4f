package store

import "time"

// The commit delay (PostgreSQL's commit_delay with commit_siblings): when
// the writer has a batch to commit while other rooms are still deciding
// changes they announced (Expect), it waits for those before committing,
// so that one fsync serves them too. It never waits when no other room has
// work in flight, and never longer than the recent commits took, nor
// commitDelayMax: no change waits longer than the commit it saves.

// commitDelayMax bounds the wait for announced changes.
const commitDelayMax = 500 * time.Microsecond

// Expect tells the store that the session's room is deciding changes it
// will Submit shortly. Submit withdraws it when the batch is queued.
func (db *DB) Expect(sessionID string) {
	db.expectMu.Lock()
	if !db.expecting[sessionID] {
		db.expecting[sessionID] = true
		db.inflight.Add(1)
	}
	db.expectMu.Unlock()
}

// arrived withdraws the session's Expect once its batch is queued (or
// given up).
func (db *DB) arrived(sessionID string) { db.withdraw(sessionID, false) }

// onItsWay withdraws the session's Expect for a batch about to be queued.
// Until the returned func runs (the job is queued) the writer still counts
// it (onWay): its wait for the announced rooms ends when the job arrives,
// not in the moment between the withdrawal and the queueing. nil when the
// session had announced nothing.
func (db *DB) onItsWay(sessionID string) func() {
	if !db.withdraw(sessionID, true) {
		return nil
	}
	return func() { db.onWay.Add(-1) }
}

// withdraw ends the session's Expect, counting it on its way when asked
// (before inflight drops, so the writer never sees both at zero while the
// job is still to come). It reports whether there was one.
func (db *DB) withdraw(sessionID string, onWay bool) bool {
	if sessionID == "" || db.inflight.Load() == 0 {
		return false // nothing announced: the usual case needs no lock
	}
	db.expectMu.Lock()
	defer db.expectMu.Unlock()
	if !db.expecting[sessionID] {
		return false
	}
	delete(db.expecting, sessionID)
	if onWay {
		db.onWay.Add(1)
	}
	db.inflight.Add(-1)
	return true
}

// awaitSiblings adds to batch the jobs of the rooms that had announced
// changes when it was called, waiting for them at most the delay bound.
// Writer goroutine only.
func (db *DB) awaitSiblings(batch []*job) []*job {
	if db.inflight.Load() == 0 || len(batch) >= maxBatchJobs {
		return batch
	}
	d := min(commitDelayMax, time.Duration(db.commitAvg))
	if d <= 0 {
		return batch
	}
	// Wait for the rooms in flight now, not for those that announce
	// themselves meanwhile: under a steady load some room always is, and
	// the wait would run to its bound every time.
	want := len(batch) + int(db.inflight.Load())
	timeout := db.after(d)
	db.delays.Add(1)
	for len(batch) < want && len(batch) < maxBatchJobs {
		if db.inflight.Load()+db.onWay.Load() == 0 {
			// Every announced batch is queued by now (onWay drops only
			// after the queueing): take those waiting, wait no more.
			select {
			case j := <-db.q.Jobs():
				batch = append(batch, j)
				continue
			default:
				return batch
			}
		}
		select {
		case j := <-db.q.Jobs():
			batch = append(batch, j)
		case <-timeout:
			return batch
		}
	}
	return batch
}

// timeCommit folds a commit's duration into the average the delay is
// bounded by (an exponentially weighted mean, 1/8 per commit).
func (db *DB) timeCommit(d time.Duration) {
	if db.commitAvg == 0 {
		db.commitAvg = int64(d)
		return
	}
	db.commitAvg += (int64(d) - db.commitAvg) / 8
}
