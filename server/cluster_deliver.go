package server

import (
	"context"
)

// What arrives at a node from the owners of its sessions, and the
// heartbeat that notices what did not.

// onLink takes one message of rembuk.node.<this node>: a frame or a close
// for a connection held here.
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
		p.deliver(h, payload)
	}
}

// maxLinks bounds the links a proxy remembers (one per owner room it
// heard from; old ones only matter while their last messages arrive).
const maxLinks = 8

// deliver hands a link message to its connection. A gap in the link's
// seq means messages were lost: every connection attaches again from the
// last seq it was sent, so nothing is missed and nothing is repeated.
func (p *proxy) deliver(h linkHeader, payload []byte) {
	p.mu.Lock()
	next, known := p.links[h.Link]
	if !known {
		if len(p.links) >= maxLinks {
			clear(p.links)
		}
		next = 1
	}
	if h.Seq != next {
		p.links[h.Link] = h.Seq + 1
		p.c.log.Warn("frames from the owner were lost: resuming", "session", p.id, "want", next, "got", h.Seq)
		for rid, tc := range p.byRID {
			delete(p.byRID, rid)
			tc.rid, tc.partial = 0, nil
		}
		p.mu.Unlock()
		p.recover()
		return
	}
	p.links[h.Link] = next + 1
	tc := p.byRID[h.RID]
	if tc == nil {
		p.mu.Unlock()
		return
	}
	switch h.Kind {
	case linkChunk:
		tc.partial = append(tc.partial, payload...)
		p.mu.Unlock()
	case linkFrame:
		b := append(tc.partial, payload...) // a copy: payload is the broker's
		tc.partial = nil
		if tc.skip(b) {
			p.mu.Unlock()
			return
		}
		tc.cl.out.push(b)
		p.mu.Unlock()
	case linkClose:
		delete(p.byRID, h.RID)
		tc.rid, tc.partial = 0, nil
		code := int(h.Close)
		if code == closeGoingAway || code == closeTryLater {
			// The owner's room stopped (shutdown, lost lease, reload):
			// the connection stays and attaches again where the
			// session is served now.
			p.mu.Unlock()
			p.recover()
			return
		}
		delete(p.conns, tc.cl)
		p.mu.Unlock()
		p.c.forget(tc.cl, p)
		tc.cl.out.close(code, string(payload))
	default:
		p.mu.Unlock()
	}
}

// skip keeps the connection's account of a frame about to be sent, and
// says whether it repeats an event the connection already has.
func (tc *thinConn) skip(b []byte) bool {
	if seq := frameSeq(b); seq >= 0 {
		if b[9] == 'e' { // {"type":"event"
			if seq <= tc.lastSeq {
				return true
			}
		} else {
			tc.welcomed = true
		}
		tc.lastSeq = seq
	}
	if ref := frameRef(b); ref != "" {
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
	for rid, tc := range p.byRID {
		delete(p.byRID, rid)
		tc.rid, tc.partial = 0, nil
	}
	return true
}
