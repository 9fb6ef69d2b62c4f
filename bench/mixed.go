package main

import (
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// sendLog maps a session's seqs to the command that caused them and its
// send time (from the acks), so receivers can time events that carry no
// text of ours: votes, scores, moves, the reveal.
type sendLog struct {
	mu    sync.Mutex
	bySeq map[int64]sendRec
	ids   []string
	acks  atomic.Int64
}

type sendRec struct {
	cat  byte
	sent int64
}

func newSendLog() *sendLog { return &sendLog{bySeq: map[int64]sendRec{}} }

func (l *sendLog) acked(cat byte, sent, seq int64, id string) {
	l.mu.Lock()
	l.bySeq[seq] = sendRec{cat, sent}
	if id != "" && cat == 'a' {
		l.ids = append(l.ids, id)
	}
	l.mu.Unlock()
	l.acks.Add(1)
}

func (l *sendLog) noteIDs() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.ids...)
}

// Categories of the mixed workload, as ref prefixes.
var mixCats = []struct {
	cat  byte
	name string
}{{'a', "add"}, {'m', "move"}, {'v', "vote"}, {'u', "usg"}, {'p', "phase"}}

// mixed is a facilitated session of 200 participants and the facilitator:
// private brainstorm (two notes each, hidden from the others), the reveal
// to all 201 viewers, phase group with every participant moving a note,
// phase vote with five dots and three USG scores each, then discuss.
// Every event is timed from its command's send time to each viewer.
func mixed(t *target, o *options) (metrics, error) {
	r, err := newRig(t, 1, 200, 0, true)
	if err != nil {
		return nil, err
	}
	defer r.close()
	s, l := r.ss[0], r.ss[0].log
	fac, err := dial(t.clientBase(), s, s.facID, s.facToken, r.clk, r.win)
	if err != nil {
		return nil, err
	}
	fac.start()
	s.facilitatorConns = append(s.facilitatorConns, fac)
	readers := r.readers()
	all := append(append([]*conn{}, readers...), fac)
	p0 := t.stats()
	r.win.open(r.clk.now())

	var sent atomic.Int64
	errCount := func() (n int64) {
		for _, c := range all {
			n += c.errs.Load()
		}
		return n
	}
	wait := func() error {
		deadline := time.Now().Add(30 * time.Second)
		for l.acks.Load()+errCount() < sent.Load() {
			if time.Now().After(deadline) {
				return errors.New("mixed: commands were not answered in 30 s")
			}
			time.Sleep(5 * time.Millisecond)
		}
		return nil
	}
	facDo := func(cat byte, f map[string]any) error {
		sent.Add(1)
		if err := fac.command(cat, f); err != nil {
			return err
		}
		return wait()
	}
	// each has every reader send n commands, one per period, with a random phase.
	each := func(n int, period time.Duration, mk func(c *conn, i int) (byte, map[string]any)) error {
		var wg sync.WaitGroup
		for _, c := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(time.Duration(rand.Int64N(int64(period))))
				for i := 0; i < n; i++ {
					cat, f := mk(c, i)
					sent.Add(1)
					c.command(cat, f)
					if i < n-1 {
						time.Sleep(period)
					}
				}
			}()
		}
		wg.Wait()
		return wait()
	}
	steps := []func() error{
		func() error {
			return facDo('p', map[string]any{"type": "settings.update", "privateBrainstorm": true})
		},
		func() error {
			return each(2, time.Second, func(c *conn, i int) (byte, map[string]any) {
				return 'a', map[string]any{"type": "note.add", "columnId": c.column, "text": "gagasan peserta " + c.pid[:8]}
			})
		},
		func() error { return facDo('r', map[string]any{"type": "notes.reveal"}) },
		func() error { return facDo('p', map[string]any{"type": "phase.set", "phase": "group"}) },
		func() error {
			return each(1, 2*time.Second, func(c *conn, i int) (byte, map[string]any) {
				id, _ := c.noteID.Load().(string)
				return 'm', map[string]any{"type": "note.move", "id": id, "columnId": c.column, "position": 1000 + rand.Float64()}
			})
		},
		func() error { return facDo('p', map[string]any{"type": "phase.set", "phase": "vote"}) },
		func() error {
			ids := l.noteIDs()
			return each(5, time.Second, func(c *conn, i int) (byte, map[string]any) {
				return 'v', map[string]any{"type": "vote.cast", "targetId": ids[rand.IntN(len(ids))]}
			})
		},
		func() error {
			ids := l.noteIDs()
			return each(3, time.Second, func(c *conn, i int) (byte, map[string]any) {
				return 'u', map[string]any{"type": "usg.score", "targetId": ids[rand.IntN(len(ids))],
					"u": 1 + rand.IntN(5), "s": 1 + rand.IntN(5), "g": 1 + rand.IntN(5)}
			})
		},
		func() error { return facDo('p', map[string]any{"type": "phase.set", "phase": "discuss"}) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	// Wait for every logged event to reach every viewer.
	l.mu.Lock()
	want := int64(len(l.bySeq)) * int64(len(all))
	l.mu.Unlock()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && countSeqs(all) < want {
		time.Sleep(20 * time.Millisecond)
	}
	p1 := t.stats()
	return mixedFigures(l, all, want, cores(p0, p1), errCount()), nil
}

func countSeqs(all []*conn) (n int64) {
	for _, c := range all {
		n += c.nseq.Load()
	}
	return n
}

func mixedFigures(l *sendLog, all []*conn, want int64, cpu float64, errs int64) metrics {
	l.mu.Lock()
	defer l.mu.Unlock()
	byCat := map[byte][]uint32{}
	var got int64
	var revealAll int64
	for _, c := range all {
		for _, sr := range c.seqsSeen() {
			rec, ok := l.bySeq[sr.seq]
			if !ok {
				continue
			}
			got++
			d := sr.at - rec.sent
			if rec.cat == 'r' {
				revealAll = max(revealAll, d)
				continue
			}
			byCat[rec.cat] = append(byCat[rec.cat], us(d))
		}
	}
	m := metrics{"reach": ratio(float64(got), float64(want)), "errors": float64(errs), "cpu": cpu,
		"reveal_ms": float64(revealAll) / 1e6}
	for _, mc := range mixCats {
		s := merge(byCat[mc.cat])
		m[mc.name+"_p50"], m[mc.name+"_p99"] = s.pct(0.5), s.pct(0.99)
	}
	return m
}
