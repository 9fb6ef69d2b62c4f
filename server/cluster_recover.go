package server

import (
	"context"
	"encoding/json"
	"time"

	"rembuk/board"
)

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
		// A live owner answers a beat at once; a frozen one is given two
		// retries, not a whole request's time, so the lease is tried
		// about every Retry once it may have expired.
		ctx, cancel := context.WithTimeout(context.Background(), min(p.c.cfg.RequestTimeout, 2*p.c.cfg.Retry))
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
		case board.ErrorCode(err) == board.CodeNotFound:
			// Deleted: the proxy goes, so what waits on it is routed
			// again (and finds no session: 404), and its connections
			// close as the owner's did (1001; a reconnect is then
			// unauthorized).
			p.retire()
			p.closeAll(closeGoingAway, "session deleted")
			return
		default:
			p.c.log.Warn("taking over a session", "session", p.id, "err", err)
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
			tc.rid = 0
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
	tc.rid = p.c.nextRID.Add(1)
	p.byRID[tc.rid] = tc
	rid := tc.rid
	var since *int64
	if tc.lastSeq >= 0 {
		s := tc.lastSeq
		since = &s
	}
	pending := append([]pendingCmd(nil), tc.pending...)
	// A connection that never got its welcome gets one now (with the
	// events after the since it said hello with, as asked).
	resume := tc.welcomed
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), p.c.cfg.RequestTimeout)
	resp, err := p.raw(ctx, cmdRequest{Kind: kindAttach, RID: rid, Token: tc.token, Since: since, Progress: tc.progress, Resume: resume})
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
	return c.srv.hub.callLocal(ctx, id, clusterMsg{kind: clusterProbe, reply: reply}, reply)
}

// takeOver moves the proxy's connections to the room this node now owns:
// each resumes after its last seq, then its unanswered commands are
// decided here (refs make a resent one answer as the first time). Until a
// connection is attached here its commands wait with the proxy, so none
// is answered before the events it follows.
func (p *proxy) takeOver() {
	p.mu.Lock()
	p.gone = true
	conns := make([]*thinConn, 0, len(p.conns))
	for _, tc := range p.conns {
		tc.rid = 0 // commands queue meanwhile; frames from the old owner are dropped
		conns = append(conns, tc)
	}
	p.byRID = map[uint64]*thinConn{}
	p.mu.Unlock()
	p.retire()
	p.c.log.Info("took over a session", "session", p.id, "connections", len(conns))
	for _, tc := range conns {
		p.mu.Lock()
		if p.conns[tc.cl] != tc {
			p.mu.Unlock()
			continue // closed meanwhile
		}
		var since *int64
		if tc.lastSeq >= 0 {
			s := tc.lastSeq
			since = &s
		}
		resume := tc.welcomed
		p.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), attachTimeout)
		reply := make(chan error, 1)
		if err := p.c.srv.hub.callLocal(ctx, p.id, attachMsg{tokenHash: tc.token, since: since, progress: tc.progress, resume: resume, cl: tc.cl, reply: reply}, reply); err != nil {
			cancel()
			p.forget(tc)
			code, msg := safeError(p.c.log, err)
			tc.cl.out.push(encodeError("", code, msg))
			tc.cl.out.close(closeTryLater, code)
			continue
		}
		// Attached here: from now on its messages go to the room directly.
		p.c.mu.Lock()
		p.mu.Lock()
		still := p.conns[tc.cl] == tc
		delete(p.conns, tc.cl)
		if p.c.conns[tc.cl] == p {
			delete(p.c.conns, tc.cl)
		}
		pending := tc.pending
		tc.pending = nil
		p.mu.Unlock()
		p.c.mu.Unlock()
		if !still {
			p.c.srv.hub.sendLocal(ctx, p.id, detachMsg{cl: tc.cl}) // it closed while attaching
			cancel()
			continue
		}
		for _, pc := range pending {
			var cmd board.Command
			if json.Unmarshal(pc.raw, &cmd) == nil {
				p.c.srv.hub.sendLocal(ctx, p.id, commandMsg{cl: tc.cl, cmd: cmd})
			}
		}
		cancel()
	}
}

// retire marks the proxy gone and lets the cluster forget it: requests
// waiting on it are routed again.
func (p *proxy) retire() {
	p.mu.Lock()
	p.gone = true
	p.mu.Unlock()
	p.c.mu.Lock()
	if p.c.proxies[p.id] == p {
		delete(p.c.proxies, p.id)
	}
	p.c.mu.Unlock()
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
