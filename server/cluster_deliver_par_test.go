package server

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"
)

// The receiving node's delivery (cluster_inbox.go), driven as the broker
// drives it: one goroutine calling onLink for each message in arrival
// order, the connections real sockets on 127.0.0.1.

// thinRig is a node holding connections for sessions another node owns.
type thinRig struct {
	t     *testing.T
	c     *cluster
	conns map[string][]*rigConn // by session
	seq   map[string]uint64     // each session's link: the last seq sent
}

// rigConn is one connection of the rig: its outbox and the client's end.
type rigConn struct {
	rid uint64
	out *outbox
	cli net.Conn
	r   *bufio.Reader
}

func newThinRig(t *testing.T, per int, sessions ...string) *thinRig {
	c := &cluster{log: slog.New(slog.DiscardHandler), proxies: map[string]*proxy{}, conns: map[*client]*proxy{},
		stop: make(chan struct{}), inc: 7, inboxMax: maxInbox}
	r := &thinRig{t: t, c: c, conns: map[string][]*rigConn{}, seq: map[string]uint64{}}
	rid := uint64(100)
	for _, id := range sessions {
		// Marked as recovering already, so that a gap (a test failing)
		// starts no recovery, which needs a whole node: it only detaches
		// the session's connections, and their frames stop.
		p := &proxy{c: c, id: id, conns: map[*client]*thinConn{}, byRID: map[uint64]*thinConn{},
			links: map[uint64]uint64{}, partial: map[uint64][]byte{}, recovering: true, recovered: make(chan struct{})}
		c.proxies[id] = p
		for range per {
			rid++
			srv, cli := socketPair(t)
			cl := &client{out: newOutbox()}
			cl.out.raw = rawConnOf(srv)
			tc := &thinConn{cl: cl, rid: rid, lastSeq: 0, welcomed: true}
			p.conns[cl], p.byRID[rid] = tc, tc
			r.conns[id] = append(r.conns[id], &rigConn{rid: rid, out: cl.out, cli: cli, r: bufio.NewReader(cli)})
		}
	}
	// As shutdown ends delivery: nothing more starts, what runs ends.
	t.Cleanup(func() {
		c.mu.Lock()
		c.closing = true
		c.mu.Unlock()
		close(c.stop)
		c.wg.Wait()
	})
	return r
}

// linkOf is a session's link id in the rig.
func linkOf(session string) uint64 { return uint64(len(session))<<32 | uint64(session[len(session)-1]) }

// message builds the session's next link message of kind with payload.
func (r *thinRig) message(session string, kind byte, payload []byte) []byte {
	r.seq[session]++
	return appendLink(nil, linkHeader{Kind: kind, Inc: r.c.inc, Link: linkOf(session), Seq: r.seq[session], Session: session}, payload)
}

// event is the session's link message carrying event seq for all its
// connections, and, if ackTo >= 0, its ack after it for that connection.
func (r *thinRig) event(session string, seq int, ackTo int) []byte {
	var rids []uint64
	for _, rc := range r.conns[session] {
		rids = append(rids, rc.rid)
	}
	payload := appendEntry(nil, linkFrame, 0, rids, eventBody(session, seq))
	if ackTo >= 0 {
		payload = appendEntry(payload, linkFrame, 0, rids[ackTo:ackTo+1], ackBody(seq))
	}
	return r.message(session, linkFan, payload)
}

func eventBody(session string, seq int) []byte {
	return fmt.Appendf(nil, `{"type":"event","seq":%d,"name":"note.added","data":{"session":%q}}`, seq, session)
}

func ackBody(seq int) []byte {
	return fmt.Appendf(nil, `{"type":"ack","ref":"r%d","seq":%d}`, seq, seq)
}

// subscribe calls onLink for each message in order on a goroutine of its
// own, as the broker's subscription does; the channel closes when all
// were handed over.
func (r *thinRig) subscribe(msgs ...[]byte) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, m := range msgs {
			r.c.onLink(m)
		}
	}()
	return done
}

// settled waits until the node holds nothing undelivered: every message
// counted against the bound was counted off again (else the subscription
// would one day wait for ever).
func (r *thinRig) settled() {
	r.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; {
		r.c.in.mu.Lock()
		held := r.c.in.bytes
		r.c.in.mu.Unlock()
		if held == 0 {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%d bytes still counted as held after every frame arrived", held)
		}
		time.Sleep(time.Millisecond) // polling for a condition
	}
}

// nextFrame reads one text frame from a client's end within d.
func (rc *rigConn) nextFrame(d time.Duration) (string, error) {
	rc.cli.SetReadDeadline(time.Now().Add(d))
	h := make([]byte, 2)
	if _, err := io.ReadFull(rc.r, h); err != nil {
		return "", err
	}
	n := int(h[1])
	if n == 126 {
		x := make([]byte, 2)
		if _, err := io.ReadFull(rc.r, x); err != nil {
			return "", err
		}
		n = int(x[0])<<8 | int(x[1])
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(rc.r, b); err != nil {
		return "", err
	}
	return string(b), nil
}

// expectEvent reads the next frame of a connection and fails unless it
// is the session's event seq.
func (r *thinRig) expectEvent(session string, i, seq int, why string) {
	r.t.Helper()
	f, err := r.conns[session][i].nextFrame(5 * time.Second)
	if err != nil {
		r.t.Fatalf("%s: connection %d of %s got no frame: %v", why, i, session, err)
	}
	if want := string(eventBody(session, seq)); f != want {
		r.t.Fatalf("%s: connection %d of %s got %s, want %s", why, i, session, f, want)
	}
}

// A session whose delivery is stuck — one of its connection's queues
// held, so delivering its message cannot finish — does not hold up
// another session's frames, which arrive while it is stuck; its own
// arrive once it is free. (With one goroutine delivering everything, the
// other session's frame waited behind it.)
func TestThinDeliverySessionsApart(t *testing.T) {
	r := newThinRig(t, 2, "s-slow", "s-fast")
	stuck := r.conns["s-slow"][0].out
	stuck.mu.Lock()
	held := true
	defer func() {
		if held {
			stuck.mu.Unlock()
		}
	}()
	done := r.subscribe(r.event("s-slow", 1, -1), r.event("s-fast", 1, 0))
	for i := range 2 {
		r.expectEvent("s-fast", i, 1, "while s-slow's delivery is stuck")
	}
	if f, err := r.conns["s-fast"][0].nextFrame(5 * time.Second); err != nil || f != string(ackBody(1)) {
		t.Fatalf("s-fast's sender got %q (%v) after its event, want its ack", f, err)
	}
	held = false
	stuck.mu.Unlock()
	for i := range 2 {
		r.expectEvent("s-slow", i, 1, "once free")
	}
	<-done
}

// The node's inboxes past their bound make the subscription wait
// (back-pressure) rather than drop: once the stuck session is free every
// message is delivered in order and no gap is seen (no resume).
func TestThinDeliveryFullInboxWaits(t *testing.T) {
	r := newThinRig(t, 2, "s-slow", "s-next")
	r.c.inboxMax = 1 // one message may be held
	stuck := r.conns["s-slow"][0].out
	stuck.mu.Lock()
	held := true
	defer func() {
		if held {
			stuck.mu.Unlock()
		}
	}()
	p := r.c.proxies["s-slow"]
	done := r.subscribe(r.event("s-slow", 1, -1), r.event("s-slow", 2, -1), r.event("s-slow", 3, 1), r.event("s-next", 1, -1))
	// The first is being delivered (stuck) and still counts: the
	// subscription waits with the second.
	for deadline := time.Now().Add(5 * time.Second); ; {
		r.c.in.mu.Lock()
		w := r.c.in.waits
		r.c.in.mu.Unlock()
		if w > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the subscription never waited for the full inbox")
		}
		time.Sleep(time.Millisecond) // polling for a condition
	}
	held = false
	stuck.mu.Unlock()
	for i := range 2 {
		for seq := 1; seq <= 3; seq++ {
			r.expectEvent("s-slow", i, seq, "after the wait")
		}
		r.expectEvent("s-next", i, 1, "after the wait")
	}
	if f, err := r.conns["s-slow"][1].nextFrame(5 * time.Second); err != nil || f != string(ackBody(3)) {
		t.Fatalf("the sender got %q (%v) after event 3, want its ack", f, err)
	}
	<-done
	r.settled()
	p.mu.Lock()
	next, attached := p.links[linkOf("s-slow")], len(p.byRID)
	p.mu.Unlock()
	if next != 4 || attached != 2 {
		t.Fatalf("after the wait: next seq %d, %d connections attached; want 4 and both (a gap detaches them to resume)", next, attached)
	}
}

// Many sessions' messages interleaved on the one subscription, some
// frames sent ahead in chunks: every connection gets its session's
// events once and in order, and a sender's ack right after its event.
func TestThinDeliveryKeepsEachSessionsOrder(t *testing.T) {
	const sessions, per, events = 12, 3, 30
	var ids []string
	for i := range sessions {
		ids = append(ids, fmt.Sprintf("sesi-%02d", i))
	}
	r := newThinRig(t, per, ids...)
	perSession := map[string][][]byte{}
	for _, id := range ids {
		for seq := 1; seq <= events; seq++ {
			ackTo := -1
			if seq%3 == 0 {
				ackTo = seq % per
			}
			if seq%7 != 0 {
				perSession[id] = append(perSession[id], r.event(id, seq, ackTo))
				continue
			}
			// The event's first bytes go ahead in a chunk message.
			body := eventBody(id, seq)
			rids := make([]uint64, 0, per)
			for _, rc := range r.conns[id] {
				rids = append(rids, rc.rid)
			}
			chunk := r.message(id, linkChunk, body[:12])
			payload := appendEntry(nil, linkFrame, 0, rids, body[12:])
			if ackTo >= 0 {
				payload = appendEntry(payload, linkFrame, 0, rids[ackTo:ackTo+1], ackBody(seq))
			}
			perSession[id] = append(perSession[id], chunk, r.message(id, linkFan, payload))
		}
	}
	// Interleave the sessions at random, each session's messages in order.
	rng := rand.New(rand.NewPCG(15, 4))
	var all [][]byte
	for left := true; left; {
		left = false
		for _, id := range ids {
			take := min(len(perSession[id]), rng.IntN(3))
			all = append(all, perSession[id][:take]...)
			perSession[id] = perSession[id][take:]
			left = left || len(perSession[id]) > 0
		}
	}
	done := r.subscribe(all...)
	var wg sync.WaitGroup
	errs := make(chan error, sessions*per)
	for _, id := range ids {
		for i, rc := range r.conns[id] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for seq := 1; seq <= events; seq++ {
					f, err := rc.nextFrame(5 * time.Second)
					if want := string(eventBody(id, seq)); err != nil || f != want {
						errs <- fmt.Errorf("connection %d of %s: got %q (%v), want event %d", i, id, f, err, seq)
						return
					}
					if seq%3 == 0 && seq%per == i {
						if f, err := rc.nextFrame(5 * time.Second); err != nil || f != string(ackBody(seq)) {
							errs <- fmt.Errorf("connection %d of %s: got %q (%v) after event %d, want its ack", i, id, f, err, seq)
							return
						}
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	<-done
	r.settled()
}
