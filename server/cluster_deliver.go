package server

import (
	"context"
	"slices"
)

// What arrives at a node from the owners of its sessions, and the
// heartbeat that notices what did not.

// onLink takes one message of rembuk.node.<this node> (frames and closes
// for connections held here) and hands it to its session's inbox
// (cluster_inbox.go): the subscription delivers nothing itself, so no
// session waits for another's sockets.
func (c *cluster) onLink(data []byte) {
	if c.frozen.Load() {
		return
	}
	h, payload, err := parseLink(data)
	if err != nil {
		c.log.Warn("dropping a malformed link message")
		return
	}
	if h.Inc != c.inc {
		return // for this node's previous run: its connections are gone
	}
	c.mu.Lock()
	p := c.proxies[h.Session]
	c.mu.Unlock()
	if p != nil {
		p.enqueue(h, payload)
	}
}

// maxLinks bounds the links a proxy remembers (one per owner room it
// heard from; old ones only matter while their last messages arrive).
const maxLinks = 8

// deliver hands a link message's entries to their connections: one copy
// of each frame, pushed to every listed connection. A gap in the link's
// seq means messages were lost: every connection attaches again from the
// last seq it was sent, so nothing is missed and nothing is repeated.
func (p *proxy) deliver(h linkHeader, payload []byte) {
	p.mu.Lock()
	next, known := p.links[h.Link]
	if !known {
		if len(p.links) >= maxLinks {
			clear(p.links)
			clear(p.partial)
		}
		next = 1
	}
	if h.Seq != next {
		p.links[h.Link] = h.Seq + 1
		delete(p.partial, h.Link)
		p.c.log.Warn("frames from the owner were lost: resuming", "session", p.id, "want", next, "got", h.Seq)
		for rid, tc := range p.byRID {
			delete(p.byRID, rid)
			tc.rid = 0
		}
		p.mu.Unlock()
		p.recover()
		return
	}
	p.links[h.Link] = next + 1
	var after linkAfter
	switch h.Kind {
	case linkChunk:
		p.partial[h.Link] = append(p.partial[h.Link], payload...)
	case linkFan:
		ahead := p.partial[h.Link] // the first entry's first bytes, sent in chunks
		delete(p.partial, h.Link)
		for b := payload; len(b) > 0; {
			e, n := nextEntry(b)
			if n == 0 {
				p.c.log.Warn("dropping a malformed link message", "session", p.id)
				break
			}
			// A copy: payload is the broker's.
			body := append(ahead, e.body...)
			ahead = nil
			p.entry(e, body, &after)
			b = b[n:]
		}
	}
	p.mu.Unlock()
	after.send()
	for _, c := range after.closed {
		p.c.forget(c.tc.cl, p)
		c.tc.cl.out.close(c.code, c.text)
	}
	if after.recover {
		p.recover()
	}
}

// linkAfter is what a link message asks for once p.mu is let go.
type linkAfter struct {
	recover bool
	closed  []closedConn
	touched []*outbox // got frames, queued quietly (in first-touch order)
}

// touch notes that o got a frame queued without a wake. Up to a small
// room's size it is noted once (a linear look, no map per message); past
// that every connection is only woken, and a second wake is a no-op.
func (a *linkAfter) touch(o *outbox) {
	if len(a.touched) <= directMaxClients && slices.Contains(a.touched, o) {
		return
	}
	a.touched = append(a.touched, o)
}

// send writes what a link message queued, as a small room does with a
// flush (directwrite.go): on a node that does not own the session, one
// message carries an event for all of its connections there, and waking
// each connection's writer for it cost a goroutine handoff per delivery.
// For up to directMaxClients connections this goroutine writes each one's
// frames itself when its writer is idle (one non-blocking write(2));
// for more, or whatever the socket does not take at once, the writers.
func (a *linkAfter) send() {
	direct := len(a.touched) <= directMaxClients
	for _, o := range a.touched {
		if direct {
			o.sendNow()
		} else {
			o.wake()
		}
	}
}

type closedConn struct {
	tc   *thinConn
	code int
	text string
}

// entry hands one entry to its connections; p.mu is held.
func (p *proxy) entry(e linkEntry, b []byte, after *linkAfter) {
	switch e.kind {
	case linkFrame:
		seq, ref := frameSeq(b), frameRef(b)
		event := seq >= 0 && b[9] == 'e' // {"type":"event"
		for i := range e.count() {
			tc := p.byRID[e.rid(i)]
			if tc != nil && !tc.skip(seq, event, ref) {
				tc.cl.out.pushQuiet(frame{b: b})
				after.touch(tc.cl.out)
			}
		}
	case linkClose:
		for i := range e.count() {
			rid := e.rid(i)
			tc := p.byRID[rid]
			if tc == nil {
				continue
			}
			delete(p.byRID, rid)
			tc.rid = 0
			if e.code == closeGoingAway || e.code == closeTryLater {
				// The owner's room stopped (shutdown, lost lease, reload):
				// the connection stays and attaches again where the
				// session is served now.
				after.recover = true
				continue
			}
			delete(p.conns, tc.cl)
			after.closed = append(after.closed, closedConn{tc, int(e.code), string(b)})
		}
	}
}

// skip keeps the connection's account of a frame about to be sent (its
// seq, whether it is an event, the ref it answers), and says whether it
// repeats an event the connection already has.
func (tc *thinConn) skip(seq int64, event bool, ref string) bool {
	if seq >= 0 {
		if event {
			if seq <= tc.lastSeq {
				return true
			}
		} else {
			tc.welcomed = true
		}
		tc.lastSeq = seq
	}
	if ref != "" {
		tc.answered(ref)
	}
	return false
}

// beat tells the owner this node still holds its connections; those the
// owner does not know attach again. A silent owner starts a recovery. A
// proxy without connections, unused for a while, is let go.
func (p *proxy) beat() {
	p.expire()
	p.mu.Lock()
	if p.recovering {
		p.mu.Unlock()
		return
	}
	idle := len(p.conns) == 0 && p.c.srv.now().Sub(p.lastUsed) > missedBeats*p.c.cfg.Heartbeat
	lost := len(p.byRID) < len(p.conns)
	p.mu.Unlock()
	rids, max := p.rids()
	if idle {
		p.c.mu.Lock()
		p.mu.Lock()
		if len(p.conns) == 0 && !p.recovering {
			p.gone = true
			if p.c.proxies[p.id] == p {
				delete(p.c.proxies, p.id)
			}
		}
		p.mu.Unlock()
		p.c.mu.Unlock()
		return
	}
	if len(rids) == 0 && !lost {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.c.cfg.RequestTimeout)
	resp, err := p.raw(ctx, cmdRequest{Kind: kindBeat, RIDs: rids, MaxRID: max})
	cancel()
	if err != nil || len(resp.Unknown) > 0 || lost || p.lostTail(resp.Link, resp.Seq) {
		p.unknown(resp.Unknown)
		p.recover()
	}
}

// lostTail notices a link's last messages lost, which no later message
// shows: what the owner had sent by the previous beat has still not all
// arrived (one beat of grace for messages in flight). Every connection
// then attaches again.
func (p *proxy) lostTail(link, seq uint64) bool {
	if link == 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var got uint64 // the last seq arrived on the link
	if next := p.links[link]; next > 0 {
		got = next - 1
	}
	prev := p.behind
	p.behind = linkMark{}
	if got >= seq {
		return false
	}
	if prev.link != link || got >= prev.seq {
		p.behind = linkMark{link, seq}
		return false
	}
	p.c.log.Warn("the last frames from the owner were lost: resuming", "session", p.id, "got", got, "sent", seq)
	p.links[link] = seq + 1
	delete(p.partial, link)
	for rid, tc := range p.byRID {
		delete(p.byRID, rid)
		tc.rid = 0
	}
	return true
}
