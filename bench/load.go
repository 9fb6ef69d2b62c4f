package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"
)

// rig is a server with sessions and connected participants, ready for
// steps of steady load.
type rig struct {
	t   *target
	clk *clock
	win *window
	ss  []*session
}

func newRig(t *target, sessions, per, stalled int, logSeqs bool) (*rig, error) {
	r := &rig{t: t, clk: &clock{t0: time.Now()}, win: newWindow()}
	ss, err := createSessions(t.base, sessions, per)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	if logSeqs {
		for _, s := range ss {
			s.log = newSendLog()
		}
	}
	r.ss = ss
	if err := connectAll(t, ss, stalled, r.clk, r.win); err != nil {
		r.close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := checkOwners(t, ss); err != nil {
		r.close()
		return nil, fmt.Errorf("two nodes: %w", err)
	}
	settle(ss, r.clk, 300*time.Millisecond, 15*time.Second)
	return r, nil
}

func (r *rig) close() { closeAll(r.ss) }

func (r *rig) readers() []*conn {
	var out []*conn
	for _, s := range r.ss {
		out = append(out, s.conns...)
	}
	return out
}

// prepareNotes makes every reader add the note it will then update.
func (r *rig) prepareNotes() error {
	for _, c := range r.readers() {
		if err := c.send(c.noteFrame(r.clk.now(), 20, "")); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, c := range r.readers() {
		for c.noteID.Load() == nil {
			if time.Now().After(deadline) {
				return errors.New("no ack for the notes to update")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	settle(r.ss, r.clk, 300*time.Millisecond, 10*time.Second)
	return nil
}

// stepSpec is one period of steady load.
type stepSpec struct {
	rate    float64 // commands per second per reader
	update  bool    // note.update of the sender's note instead of note.add
	textLen int
	senders int // per session; 0 = every reader
	warmup  time.Duration
	measure time.Duration
	drain   time.Duration
}

// steady runs one step: open-loop senders at a fixed rate with a random
// phase each, a measurement window after the warm-up, then a drain until
// every in-window note reached every reader (or the drain timed out).
func (r *rig) steady(sp stepSpec) metrics {
	readers := r.readers()
	for _, c := range readers {
		c.takeSamples()
		c.got.Store(0)
		c.errs.Store(0)
	}
	for _, s := range r.ss {
		s.sent.Store(0)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, s := range r.ss {
		for i, c := range s.conns {
			if sp.senders > 0 && i >= sp.senders {
				break
			}
			wg.Add(1)
			go func() { defer wg.Done(); r.sender(c, sp, stop) }()
		}
	}
	time.Sleep(sp.warmup)
	self0, _ := readProc(os.Getpid())
	p0 := r.t.stats()
	a0, b0 := r.t.nodeCPU()
	rss := sampleRSS(r.t.pids()...)
	r.win.open(r.clk.now())
	time.Sleep(sp.measure)
	r.win.shut(r.clk.now())
	p1 := r.t.stats()
	a1, b1 := r.t.nodeCPU()
	self1, _ := readProc(os.Getpid())
	close(stop)
	wg.Wait()
	peak := rss.peakKB()
	expected := r.drain(sp.drain)

	m := r.collect(expected, sp.measure)
	m["cpu"] = cores(p0, p1)
	m["cpu_us_deliv"] = 1e6 * m["cpu"] / m["deliv_s"] // steadier than latency on a busy machine
	m["gen_cpu"] = cores(self0, self1)
	if r.t.peer != nil {
		d := p1.at.Sub(p0.at).Seconds()
		m["cpu_a"], m["cpu_b"] = (a1-a0)/d, (b1-b0)/d
	}
	m["rss_mb"] = float64(p1.rssKB) / 1024
	m["peak_rss_mb"] = float64(peak) / 1024
	r.win.from.Store(1<<62 - 1)
	return m
}

// sender sends at sp.rate until stop, open loop: a late send does not move
// the schedule, so a slow server is not hidden by a slower generator.
func (r *rig) sender(c *conn, sp stepSpec, stop <-chan struct{}) {
	period := time.Duration(float64(time.Second) / sp.rate)
	next := time.Now().Add(time.Duration(rand.Int64N(int64(period))))
	id := ""
	if sp.update {
		id, _ = c.noteID.Load().(string)
	}
	for {
		d := time.Until(next)
		if d > 0 {
			select {
			case <-stop:
				return
			case <-time.After(d):
			}
		} else {
			select {
			case <-stop:
				return
			default:
			}
		}
		next = next.Add(period)
		t := r.clk.now()
		frame := c.noteFrame(t, sp.textLen, id)
		if r.win.in(t) {
			c.sess.sent.Add(1)
		}
		if c.send(frame) != nil {
			return
		}
	}
}

// expected is how many note events the readers should get: each in-window
// note times the readers of its session.
func (r *rig) expected() int64 {
	var n int64
	for _, s := range r.ss {
		n += s.sent.Load() * int64(len(s.conns))
	}
	return n
}

func (r *rig) received() int64 {
	var n int64
	for _, c := range r.readers() {
		n += c.got.Load()
	}
	return n
}

// drain waits until every expected event arrived, at most max.
func (r *rig) drain(limit time.Duration) int64 {
	want := r.expected()
	deadline := time.Now().Add(limit)
	for r.received() < want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	return want
}

// collect merges the readers' samples into the step's figures.
func (r *rig) collect(expected int64, measure time.Duration) metrics {
	readers := r.readers()
	var lats, acks []samples
	var errs, disc int64
	var lastErr string
	for _, c := range readers {
		lat, ack := c.takeSamples()
		lats = append(lats, lat)
		acks = append(acks, ack)
		errs += c.errs.Load()
		if v, ok := c.lastErr.Load().(string); ok {
			lastErr = v
		}
		if c.disconnected() {
			disc++
		}
	}
	lat, ack := merge(lats...), merge(acks...)
	split := splitFigures(readers, lats, acks)
	got := r.received()
	if errs > 0 {
		fmt.Fprintf(os.Stderr, "bench: %d error frames, e.g. %.200s\n", errs, lastErr)
	}
	sent := int64(0)
	for _, s := range r.ss {
		sent += s.sent.Load()
	}
	m := metrics{
		"p50": lat.pct(0.50), "p90": lat.pct(0.90), "p99": lat.pct(0.99), "max": lat.max(),
		"ack_p50": ack.pct(0.50), "ack_p99": ack.pct(0.99),
		"reach":   ratio(float64(got), float64(expected)),
		"deliv_s": float64(got) / measure.Seconds(),
		"sent":    float64(sent), "errors": float64(errs), "disconnects": float64(disc),
	}
	for k, v := range split {
		m[k] = v
	}
	return m
}
