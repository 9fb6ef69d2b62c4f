package server

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"sync"
	"sync/atomic"

	"rembuk/board"
)

// errReroute tells cluster.send to route a message again: the proxy it
// went to is gone (this node owns the session now) or the owner changed.
var errReroute = errors.New("route again")

// proxy stands for a session owned by another node: the local
// connections attached to it through the broker, and what arrives for them.
type proxy struct {
	c  *cluster
	id string

	mu         sync.Mutex
	owner      string
	conns      map[*client]*thinConn
	byRID      map[uint64]*thinConn
	links      map[uint64]uint64 // link id -> next seq expected
	partial    map[uint64][]byte // link id -> the chunks of its next message's first entry
	behind     linkMark          // the owner's last seq at the previous beat, when not all of it had arrived
	recovering bool
	recovered  chan struct{} // closed when the running recovery ends
	gone       bool
	lastUsed   time.Time
	beating    atomic.Bool // a heartbeat is on its way
	in         inbox       // link messages waiting for delivery (cluster_inbox.go)
}

// linkMark is a seq of a link.
type linkMark struct{ link, seq uint64 }

// thinConn is a local connection whose room is on another node.
type thinConn struct {
	cl       *client
	rid      uint64 // 0 while not attached at the owner
	token    []byte
	progress bool
	lastSeq  int64        // the last seq this connection has been sent (-1: none yet)
	welcomed bool         // its welcome went out: from then on it resumes with events, never a second welcome
	pending  []pendingCmd // sent, not yet answered, in order
}

// pendingCmd is a forwarded command waiting for its ack or error.
type pendingCmd struct {
	ref  string
	raw  []byte
	sent time.Time
}

// proxyTo makes (or points) the session's proxy to owner.
func (c *cluster) proxyTo(id, owner string) *proxy {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.proxies[id]
	if p == nil {
		p = &proxy{c: c, id: id, conns: map[*client]*thinConn{}, byRID: map[uint64]*thinConn{},
			links: map[uint64]uint64{}, partial: map[uint64][]byte{}, lastUsed: c.srv.now()}
		c.proxies[id] = p
	}
	p.mu.Lock()
	p.owner = owner
	p.mu.Unlock()
	return p
}

// send forwards a message for the session's room to its owner.
func (p *proxy) send(ctx context.Context, m any) error {
	p.mu.Lock()
	p.lastUsed = p.c.srv.now()
	p.mu.Unlock()
	switch m := m.(type) {
	case attachMsg:
		return p.attach(ctx, m)
	case commandMsg:
		if m.cl != nil {
			return p.command(m)
		}
		raw, _ := json.Marshal(m.cmd)
		resp, err := p.request(ctx, cmdRequest{Kind: kindHTTP, Token: m.tokenHash, Cmd: raw})
		if err != nil {
			return err
		}
		if resp.Frame == nil {
			m.reply <- cmdReply{encodeError(m.cmd.Ref, resp.Code, resp.Message), resp.Code}
		} else {
			m.reply <- cmdReply{resp.Frame, resp.Code}
		}
		return nil
	case detachMsg:
		p.detach(m.cl)
		return nil
	case joinMsg:
		resp, err := p.request(ctx, cmdRequest{Kind: kindJoin, Join: &m.p, Token: m.p.TokenHash, Code: m.code})
		if err != nil {
			return err
		}
		m.reply <- resp.err()
		return nil
	case viewMsg:
		return p.view(ctx, m)
	case photosMsg:
		_, err := p.request(ctx, cmdRequest{Kind: kindPhotos, Count: m.count})
		return err
	case stopMsg:
		_, err := p.request(ctx, cmdRequest{Kind: kindStop})
		return err
	case roomFn:
		return &remoteRoomError{id: p.id}
	}
	return errNotRoutable
}

var errNotRoutable = board.Errorf(board.CodeUnavailable, "this session is served by another node")

// routable reports whether a message may go to another node's room: a
// clusterMsg is for this node's own room (a probe asks whether this node
// can own the session).
func routable(m any) bool {
	_, local := m.(clusterMsg)
	return !local
}

// raw sends one request to whoever owns the session now.
func (p *proxy) raw(ctx context.Context, req cmdRequest) (cmdResponse, error) {
	req.Node, req.Inc = p.c.cfg.NodeID, p.c.inc
	ctx, cancel := context.WithTimeout(ctx, p.c.cfg.RequestTimeout)
	defer cancel()
	data, err := p.c.cfg.Broker.Request(ctx, cmdSubject(p.id), encode(req))
	if err != nil {
		return cmdResponse{}, err
	}
	var resp cmdResponse
	if err := json.Unmarshal(data, &resp); err != nil {
		return cmdResponse{}, err
	}
	if resp.Code == board.CodeUnavailable && resp.Message == msgRoomStopped {
		return cmdResponse{}, errRoomStopped
	}
	return resp, nil
}

const msgRoomStopped = "the room stopped"

var errRoomStopped = errors.New(msgRoomStopped)

// request sends a request that waits for an answer, through a change of
// owner if one happens meanwhile (until ctx ends).
func (p *proxy) request(ctx context.Context, req cmdRequest) (cmdResponse, error) {
	for {
		if p.isGone() {
			return cmdResponse{}, errReroute
		}
		resp, err := p.raw(ctx, req)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return cmdResponse{}, board.Errorf(board.CodeUnavailable, "the session did not answer in time")
		}
		select {
		case <-p.recover():
		case <-ctx.Done():
		}
	}
}

func (p *proxy) isGone() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gone
}

// attach attaches a local connection at the owner. Its frames may arrive
// before the answer, so it is registered first.
func (p *proxy) attach(ctx context.Context, m attachMsg) error {
	tc := &thinConn{cl: m.cl, token: m.tokenHash, progress: m.progress, lastSeq: -1}
	if m.since != nil {
		tc.lastSeq = *m.since
	}
	p.c.mu.Lock()
	p.c.conns[m.cl] = p
	p.c.mu.Unlock()
	p.mu.Lock()
	if p.gone {
		p.mu.Unlock()
		p.c.forget(m.cl, p)
		return errReroute
	}
	tc.rid = p.c.nextRID.Add(1) // under p.mu: see rids
	rid := tc.rid               // a beat may clear tc.rid (unknown) once p.mu is let go
	p.conns[m.cl] = tc
	p.byRID[rid] = tc
	p.mu.Unlock()
	resp, err := p.raw(ctx, cmdRequest{Kind: kindAttach, RID: rid, Token: m.tokenHash, Since: m.since, Progress: m.progress, Resume: m.resume})
	if err != nil {
		p.forget(tc)
		select {
		case <-p.recover():
			return errReroute
		case <-ctx.Done():
			return board.Errorf(board.CodeUnavailable, "the session did not answer in time")
		}
	}
	if resp.Code != "" {
		p.forget(tc)
		m.reply <- resp.err()
		return nil
	}
	m.cl.participantID = resp.PID
	m.reply <- nil
	return nil
}

// forget drops a connection from the proxy.
func (p *proxy) forget(tc *thinConn) {
	p.mu.Lock()
	if p.conns[tc.cl] == tc {
		delete(p.conns, tc.cl)
	}
	if tc.rid != 0 && p.byRID[tc.rid] == tc {
		delete(p.byRID, tc.rid)
	}
	p.mu.Unlock()
	p.c.forget(tc.cl, p)
}

func (c *cluster) forget(cl *client, p *proxy) {
	c.mu.Lock()
	if c.conns[cl] == p {
		delete(c.conns, cl)
	}
	c.mu.Unlock()
}

// command forwards a connection's command. Its ack or error comes back as
// a frame; until then it is kept, and resent to a new owner with its ref
// (idempotent) for up to ResendFor.
func (p *proxy) command(m commandMsg) error {
	raw, err := json.Marshal(m.cmd)
	if err != nil {
		return board.Errorf(board.CodeInvalid, "frame is not a valid command object")
	}
	p.mu.Lock()
	tc := p.conns[m.cl]
	if tc == nil {
		p.mu.Unlock()
		return errReroute
	}
	tc.pending = append(tc.pending, pendingCmd{ref: m.cmd.Ref, raw: raw, sent: p.c.srv.now()})
	rid := tc.rid
	p.mu.Unlock()
	if rid == 0 {
		return nil // resent once attached again
	}
	p.sendCmd(tc, rid, m.cmd.Ref, raw)
	return nil
}

// sendCmd sends one command of a connection attached as rid.
func (p *proxy) sendCmd(tc *thinConn, rid uint64, ref string, raw []byte) {
	resp, err := p.raw(context.Background(), cmdRequest{Kind: kindCmd, RID: rid, Cmd: raw})
	switch {
	case err != nil:
		p.detached(tc, rid)
	case resp.Code == codeUnknownConn:
		p.detached(tc, rid)
	case resp.Code != "":
		// Refused before the room (rate limit, bad command): answer it.
		p.mu.Lock()
		tc.answered(ref)
		p.mu.Unlock()
		tc.cl.out.push(encodeError(ref, resp.Code, resp.Message))
	}
}

// detached notes that the owner no longer holds the connection attached
// as rid, and starts recovering it.
func (p *proxy) detached(tc *thinConn, rid uint64) {
	p.mu.Lock()
	if tc.rid == rid && rid != 0 {
		delete(p.byRID, rid)
		tc.rid = 0
	}
	p.mu.Unlock()
	p.recover()
}

// answered drops a pending command once its ack or error went out.
func (tc *thinConn) answered(ref string) {
	for i, pc := range tc.pending {
		if pc.ref == ref {
			tc.pending = append(tc.pending[:i], tc.pending[i+1:]...)
			return
		}
	}
}

// detach ends a connection here and at the owner.
func (p *proxy) detach(cl *client) {
	p.mu.Lock()
	tc := p.conns[cl]
	var rid uint64
	if tc != nil {
		rid = tc.rid // under p.mu: a beat may clear it
	}
	p.mu.Unlock()
	if tc == nil {
		return
	}
	p.forget(tc)
	if rid != 0 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		p.raw(ctx, cmdRequest{Kind: kindDetach, RID: rid})
		cancel()
	}
}

// view runs a read on the stored state: the owner checks the token and
// says who is online (a viewFunc cannot travel).
func (p *proxy) view(ctx context.Context, m viewMsg) error {
	resp, err := p.request(ctx, cmdRequest{Kind: kindView, Token: m.tokenHash})
	if err != nil {
		return err
	}
	if err := resp.err(); err != nil {
		m.reply <- err
		return nil
	}
	st, _, err := p.c.srv.store.LoadState(ctx, p.id)
	if err != nil {
		return err
	}
	var who *board.Participant
	for _, pt := range st.Participants {
		if !pt.Removed && st.HoldsToken(pt, m.tokenHash) { // a second device's token too
			who = pt
		}
	}
	if who == nil {
		m.reply <- board.Errorf(board.CodeUnauthorized, "unknown or removed participant")
		return nil
	}
	online := map[string]bool{}
	for _, id := range resp.Online {
		online[id] = true
	}
	m.reply <- m.fn(st, who, func(id string) bool { return online[id] })
	return nil
}

// close ends the proxy at shutdown: its connections close with 1001.
func (p *proxy) close() {
	p.mu.Lock()
	p.gone = true
	conns := make([]*thinConn, 0, len(p.conns))
	for _, tc := range p.conns {
		conns = append(conns, tc)
	}
	p.mu.Unlock()
	for _, tc := range conns {
		tc.cl.out.close(closeGoingAway, "server shutting down")
		p.detach(tc.cl)
	}
}
