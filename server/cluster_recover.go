package server

import (
	"context"
	"encoding/json"
	"time"

	"rembuk/board"
)

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
		}
		tc.lastSeq = seq
	}
	if ref := frameRef(b); ref != "" {
		tc.answered(ref)
	}
	return false
}

// recover starts (once at a time) finding where the session is served
// now, and returns a channel closed when that ends: every connection is
// then attached again there with the last seq it was sent, and its
// unanswered commands are resent with their refs.
func (p *proxy) recover() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.recovering {
		return p.recovered
	}
	p.recovering = true
	p.recovered = make(chan struct{})
	go p.recoverLoop(p.recovered)
	return p.recovered
}

func (p *proxy) recoverLoop(done chan struct{}) {
	defer func() {
		p.mu.Lock()
		p.recovering = false
		p.mu.Unlock()
		close(done)
	}()
	var wait *time.Timer
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if wait == nil {
				wait = time.NewTimer(p.c.cfg.Retry)
				defer wait.Stop()
			} else {
				wait.Reset(p.c.cfg.Retry)
			}
			select {
			case <-wait.C:
			case <-p.c.stop:
				return
			}
		}
		if p.isGone() {
			return
		}
		p.expire()
		// Does anyone serve the session? Then attach there again.
		ctx, cancel := context.WithTimeout(context.Background(), p.c.cfg.RequestTimeout)
		rids, max := p.rids()
		resp, err := p.raw(ctx, cmdRequest{Kind: kindBeat, RIDs: rids, MaxRID: max})
		cancel()
		if err == nil {
			p.unknown(resp.Unknown)
			if p.reattachAll() {
				return
			}
			continue
		}
		// Nobody answers: take the lease if it is free or expired.
		switch err := p.c.probeLocal(p.id); {
		case err == nil:
			p.takeOver()
			return
		case isNotOwner(err):
			continue // not expired yet, or another node is starting the room
		default:
			p.c.log.Warn("taking over a session", "session", p.id, "err", err)
			if board.ErrorCode(err) == board.CodeNotFound {
				p.closeAll(closePolicy, "session deleted")
				return
			}
		}
	}
}

// rids lists the connections attached at the owner, and the highest rid
// given so far: every connection of this session up to it is listed.
// Rids are given under p.mu, so none given before max is missing.
func (p *proxy) rids() ([]uint64, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rids := make([]uint64, 0, len(p.byRID))
	for rid := range p.byRID {
		rids = append(rids, rid)
	}
	return rids, p.c.nextRID.Load()
}

// unknown marks the connections the owner says it does not hold.
func (p *proxy) unknown(rids []uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, rid := range rids {
		if tc := p.byRID[rid]; tc != nil {
			delete(p.byRID, rid)
			tc.rid, tc.partial = 0, nil
		}
	}
}

// reattachAll attaches every connection the owner does not hold again.
// It reports false when the owner failed meanwhile (try again).
func (p *proxy) reattachAll() bool {
	p.mu.Lock()
	var todo []*thinConn
	for _, tc := range p.conns {
		if tc.rid == 0 {
			todo = append(todo, tc)
		}
	}
	p.mu.Unlock()
	ok := true
	for _, tc := range todo {
		if !p.reattach(tc) {
			ok = false
		}
	}
	return ok
}

// reattach attaches one connection again (a fresh rid, so frames still in
// flight for the old one are dropped), resuming after its last seq, then
// resends its unanswered commands in order.
func (p *proxy) reattach(tc *thinConn) bool {
	p.mu.Lock()
	if p.conns[tc.cl] != tc || tc.rid != 0 {
		p.mu.Unlock()
		return true // closed, or attached again, meanwhile
	}
	tc.rid, tc.partial = p.c.nextRID.Add(1), nil
	p.byRID[tc.rid] = tc
	rid := tc.rid
	var since *int64
	if tc.lastSeq >= 0 {
		s := tc.lastSeq
		since = &s
	}
	pending := append([]pendingCmd(nil), tc.pending...)
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), p.c.cfg.RequestTimeout)
	resp, err := p.raw(ctx, cmdRequest{Kind: kindAttach, RID: rid, Token: tc.token, Since: since, Progress: tc.progress, Resume: true})
	cancel()
	if err != nil || resp.Code == board.CodeUnavailable {
		p.mu.Lock()
		if tc.rid == rid {
			delete(p.byRID, rid)
			tc.rid = 0
		}
		p.mu.Unlock()
		return false
	}
	if resp.Code != "" {
		// Removed, or the session deleted, while the owner changed.
		p.forget(tc)
		tc.cl.out.push(encodeError("", resp.Code, resp.Message))
		tc.cl.out.close(closePolicy, resp.Code)
		return true
	}
	for _, pc := range pending {
		p.sendCmd(tc, rid, pc.ref, pc.raw)
	}
	return true
}

// expire answers unavailable to commands no owner took within ResendFor.
func (p *proxy) expire() {
	now := p.c.srv.now()
	type late struct {
		cl  *client
		ref string
	}
	var out []late
	p.mu.Lock()
	for _, tc := range p.conns {
		keep := tc.pending[:0]
		for _, pc := range tc.pending {
			if now.Sub(pc.sent) > p.c.cfg.ResendFor {
				out = append(out, late{tc.cl, pc.ref})
			} else {
				keep = append(keep, pc)
			}
		}
		tc.pending = keep
	}
	p.mu.Unlock()
	for _, l := range out {
		l.cl.out.push(encodeError(l.ref, board.CodeUnavailable, "the session did not answer in time; try again"))
	}
}

// probeLocal loads the session's room here if this node can take its
// lease; a notOwnerError says who holds it.
func (c *cluster) probeLocal(id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.RequestTimeout)
	defer cancel()
	reply := make(chan error, 1)
	err, aerr := askLocal(ctx, c.srv.hub, id, clusterMsg{kind: clusterProbe, reply: reply}, reply)
	return firstErr(aerr, err)
}

// takeOver moves the proxy's connections to the room this node now owns:
// each resumes after its last seq, then its unanswered commands are
// decided here (refs make a resent one answer as the first time).
func (p *proxy) takeOver() {
	p.mu.Lock()
	p.gone = true
	conns := make([]*thinConn, 0, len(p.conns))
	for _, tc := range p.conns {
		conns = append(conns, tc)
	}
	p.conns, p.byRID = map[*client]*thinConn{}, map[uint64]*thinConn{}
	p.mu.Unlock()
	p.c.mu.Lock()
	if p.c.proxies[p.id] == p {
		delete(p.c.proxies, p.id)
	}
	for _, tc := range conns {
		delete(p.c.conns, tc.cl)
	}
	p.c.mu.Unlock()
	p.c.log.Info("took over a session", "session", p.id, "connections", len(conns))
	for _, tc := range conns {
		var since *int64
		if tc.lastSeq >= 0 {
			s := tc.lastSeq
			since = &s
		}
		ctx, cancel := context.WithTimeout(context.Background(), attachTimeout)
		reply := make(chan error, 1)
		err, aerr := askLocal(ctx, p.c.srv.hub, p.id, attachMsg{tokenHash: tc.token, since: since, progress: tc.progress, resume: true, cl: tc.cl, reply: reply}, reply)
		if err = firstErr(aerr, err); err != nil {
			cancel()
			code, msg := safeError(p.c.log, err)
			tc.cl.out.push(encodeError("", code, msg))
			tc.cl.out.close(closeTryLater, code)
			continue
		}
		for _, pc := range tc.pending {
			var cmd board.Command
			if json.Unmarshal(pc.raw, &cmd) == nil {
				p.c.srv.hub.sendLocal(ctx, p.id, commandMsg{cl: tc.cl, cmd: cmd})
			}
		}
		cancel()
	}
}

// closeAll closes every connection of the proxy with code.
func (p *proxy) closeAll(code int, text string) {
	p.mu.Lock()
	conns := make([]*thinConn, 0, len(p.conns))
	for _, tc := range p.conns {
		conns = append(conns, tc)
	}
	p.mu.Unlock()
	for _, tc := range conns {
		p.forget(tc)
		tc.cl.out.close(code, text)
	}
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
