package jobq

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

var errClosed = errors.New("closed")

type job struct {
	n    int
	done chan error
}

func newJob(n int) *job { return &job{n: n, done: make(chan error, 1)} }

// writer is the stores' writer loop in small: each batch answered with
// the job's own outcome (odd numbers fail), the queue drained on Close.
func writer(q *Queue[*job]) {
	defer q.Stop()
	answer := func(j *job) {
		if j.n%2 == 1 {
			j.done <- errors.New("odd")
		} else {
			j.done <- nil
		}
	}
	for {
		var first *job
		select {
		case first = <-q.Jobs():
		case <-q.Quit():
			q.Drain(answer)
			return
		}
		for _, j := range q.Batch(first, 3) {
			answer(j)
		}
	}
}

func TestSubmitGetsTheWritersAnswer(t *testing.T) {
	q := New[*job](8, errClosed)
	go writer(q)
	defer q.Close()
	for n := range 4 {
		j := newJob(n)
		err := q.Submit(context.Background(), j, j.done)
		if (n%2 == 1) != (err != nil) {
			t.Errorf("job %d: %v", n, err)
		}
	}
}

// Close runs the jobs queued before it: none is refused, none is lost.
func TestCloseFinishesTheQueuedJobs(t *testing.T) {
	q := New[*job](8, errClosed)
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := newJob(2 * i)
			errs[i] = q.Submit(context.Background(), j, j.done)
		}()
	}
	waitFor(t, func() bool { return q.Waiting() == len(errs) })
	go writer(q)
	q.Close()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("job %d queued before Close: %v", i, err)
		}
	}
}

func TestSubmitAfterCloseIsRefused(t *testing.T) {
	q := New[*job](8, errClosed)
	go writer(q)
	q.Close()
	j := newJob(0)
	if err := q.Submit(context.Background(), j, j.done); err != errClosed {
		t.Fatalf("Submit after Close: %v, want %v", err, errClosed)
	}
	if q.Waiting() != 0 {
		t.Errorf("a job was queued after Close")
	}
}

// A job the writer will never take (it stopped) is answered closed rather
// than left waiting.
func TestWriterStoppedAnswersClosed(t *testing.T) {
	q := New[*job](8, errClosed)
	q.Stop()
	j := newJob(0)
	if err := q.Submit(context.Background(), j, j.done); err != errClosed {
		t.Fatalf("Submit with the writer stopped: %v, want %v", err, errClosed)
	}
}

func TestSubmitGivesUpWithItsContext(t *testing.T) {
	q := New[*job](1, errClosed)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	j := newJob(0)
	if err := q.Submit(ctx, j, j.done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Submit with its context over: %v", err)
	}
}

// Batch takes the jobs waiting behind the first, up to its bound.
func TestBatchTakesWhatWaitsUpToItsBound(t *testing.T) {
	q := New[*job](8, errClosed)
	for n := range 5 {
		q.jobs <- newJob(n)
	}
	first := <-q.Jobs()
	if b := q.Batch(first, 3); len(b) != 3 || b[0] != first || b[1].n != 1 || b[2].n != 2 {
		t.Fatalf("first batch: %d jobs", len(b))
	}
	first = <-q.Jobs()
	if b := q.Batch(first, 3); len(b) != 2 || b[1].n != 4 {
		t.Fatalf("second batch: %d jobs", len(b))
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

// SubmitThen calls queued once the job is in the queue, before its answer
// (the writer has not taken it: no writer runs here), and once when the
// queue is closed and the job refused.
func TestSubmitThenCallsQueued(t *testing.T) {
	q := New[*job](1, errClosed)
	j := newJob(2)
	calls := make(chan int, 2)
	got := make(chan error, 1)
	go func() { got <- q.SubmitThen(context.Background(), j, j.done, func() { calls <- len(q.Jobs()) }) }()
	if n := <-calls; n != 1 {
		t.Errorf("queued called with %d jobs waiting, want 1", n)
	}
	(<-q.Jobs()).done <- nil
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	go q.Stop() // the writer's last act, so that Close returns
	q.Close()
	k := newJob(4)
	if err := q.SubmitThen(context.Background(), k, k.done, func() { calls <- -1 }); !errors.Is(err, errClosed) {
		t.Errorf("after Close: %v", err)
	}
	if n := <-calls; n != -1 || len(calls) != 0 {
		t.Errorf("queued after Close: %d, %d more", n, len(calls))
	}
}
