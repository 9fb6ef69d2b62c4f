// Package jobq is the hand-off between the rooms and a store's single
// writer goroutine, written once for both stores (SQLite, PostgreSQL):
// a caller queues a job and waits for its answer, the writer takes the
// jobs waiting as one batch, and on Close the writer runs what was queued
// before stopping. What a job is, and how a batch commits, stays with each
// store.
package jobq

import "context"

// Queue carries jobs of type J (a pointer: nothing is copied or allocated
// per job) from many callers to one writer.
type Queue[J any] struct {
	jobs chan J
	quit chan struct{} // closed by Close: no job is taken any more
	done chan struct{} // closed by the writer as it stops
	// closed is the answer to a job the writer will never run.
	closed error
}

// New makes a queue holding up to size jobs; closed answers the jobs
// submitted after Close (the store's "unavailable").
func New[J any](size int, closed error) *Queue[J] {
	return &Queue[J]{jobs: make(chan J, size), quit: make(chan struct{}), done: make(chan struct{}), closed: closed}
}

// Submit queues j and waits for the writer's answer on answer, a channel
// of capacity 1 that the writer sends j's outcome to. It returns ctx's
// error if ctx ends first: the job may still commit then, and the caller
// must treat the outcome as unknown.
func (q *Queue[J]) Submit(ctx context.Context, j J, answer <-chan error) error {
	return q.SubmitThen(ctx, j, answer, nil)
}

// SubmitThen is Submit calling queued (when not nil) once j is queued or
// given up, before waiting for the answer.
func (q *Queue[J]) SubmitThen(ctx context.Context, j J, answer <-chan error, queued func()) error {
	if queued != nil {
		defer func() {
			if queued != nil {
				queued()
			}
		}()
	}
	// After Close the writer takes no more jobs; check first, since the
	// select below picks at random between a closed quit and a free slot.
	select {
	case <-q.quit:
		return q.closed
	default:
	}
	select {
	case q.jobs <- j:
	case <-q.quit:
		return q.closed
	case <-ctx.Done():
		return ctx.Err()
	}
	if queued != nil {
		queued()
		queued = nil
	}
	select {
	case err := <-answer:
		return err
	case <-q.done:
		// The writer has stopped. It answered j if it took j before
		// stopping; a job queued after its last look is never run.
		select {
		case err := <-answer:
			return err
		default:
			return q.closed
		}
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Jobs is where the writer receives the jobs.
func (q *Queue[J]) Jobs() <-chan J { return q.jobs }

// Waiting is the number of jobs queued and not yet taken.
func (q *Queue[J]) Waiting() int { return len(q.jobs) }

// Quit is closed by Close: the writer drains (Drain) and stops.
func (q *Queue[J]) Quit() <-chan struct{} { return q.quit }

// Stopped is closed once the writer has stopped.
func (q *Queue[J]) Stopped() <-chan struct{} { return q.done }

// Batch returns first and the jobs waiting behind it, at most max in all:
// what one group commit takes. Writer only.
func (q *Queue[J]) Batch(first J, max int) []J {
	batch := []J{first}
	for len(batch) < max {
		select {
		case j := <-q.jobs:
			batch = append(batch, j)
		default:
			return batch
		}
	}
	return batch
}

// Drain runs each job still queued, one at a time, once Quit is closed:
// what was queued before Close is finished. Writer only.
func (q *Queue[J]) Drain(run func(J)) {
	for {
		select {
		case j := <-q.jobs:
			run(j)
		default:
			return
		}
	}
}

// Stop is the writer's last act (defer q.Stop()): the callers still
// waiting learn it will not answer them.
func (q *Queue[J]) Stop() { close(q.done) }

// Close makes the writer stop after the jobs queued, and waits for it.
// Call it once.
func (q *Queue[J]) Close() {
	close(q.quit)
	<-q.done
}
