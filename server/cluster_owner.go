package server

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"rembuk/board"
)

// ownership is this node's hold on one session: the lease's epoch, the
// subscription to rembuk.cmd.<session>, and a link per node whose
// connections are attached here.
type ownership struct {
	c     *cluster
	r     *room
	id    string
	epoch int64

	mu      sync.Mutex
	unsub   func() error
	links   map[string]*link
	stopped bool // the room stopped: requests are answered unavailable
	fenced  bool // the lease was lost: it is not released
}

// link carries one owner room's frames to one node, numbered from 1.
type link struct {
	o        *ownership
	node     string
	id       uint64
	mu       sync.Mutex // orders seq with publishing: one publisher, one subject
	seq      uint64
	lastBeat time.Time
	rcs      map[uint64]*remoteClient
	buf      []byte
}

// remoteClient is a connection held by another node, attached to the room
// like a local one; its forwarder publishes what the room queues for it.
type remoteClient struct {
	rid  uint64
	cl   *client
	l    *link
	stop chan struct{}
	once sync.Once
}

func (rc *remoteClient) end() { rc.once.Do(func() { close(rc.stop) }) }

// serve subscribes the loaded room to its session's requests.
func (o *ownership) serve() {
	if o.c.cfg.Broker == nil {
		return
	}
	unsub, err := o.c.cfg.Broker.Subscribe(cmdSubject(o.id), o.onRequest)
	if err != nil {
		// Without the subscription other nodes find nobody and try to
		// take the lease, which this node renews: they wait, forwards
		// fail unavailable. Stopping the room lets one of them own it.
		o.c.log.Error("subscribing to the session's requests", "session", o.id, "err", err)
		o.fence()
		return
	}
	o.mu.Lock()
	o.unsub = unsub
	o.mu.Unlock()
}

// exited runs when the owned room's goroutine ends: no more requests,
// and the lease is given back unless another node has it already.
func (o *ownership) exited() {
	o.mu.Lock()
	o.stopped = true
	unsub, fenced := o.unsub, o.fenced
	o.unsub = nil
	o.mu.Unlock()
	if unsub != nil {
		unsub()
	}
	o.c.mu.Lock()
	if o.c.owned[o.id] == o {
		delete(o.c.owned, o.id)
	}
	o.c.mu.Unlock()
	if !fenced {
		ctx, cancel := context.WithTimeout(context.Background(), o.c.cfg.RequestTimeout)
		if err := o.c.cfg.Leases.ReleaseLease(ctx, o.id, o.c.cfg.NodeID, o.epoch); err != nil {
			o.c.log.Warn("releasing a lease", "session", o.id, "err", err)
		}
		cancel()
	}
}

// fence stops the room because its lease is gone: its clients get 1013
// and reconnect to the new owner.
func (o *ownership) fence() {
	o.mu.Lock()
	o.fenced = true
	o.mu.Unlock()
	select {
	case o.r.inbox <- clusterMsg{kind: clusterFence}:
	case <-o.r.done:
	}
}

// onRequest answers one request from another node. The broker calls it
// for one message at a time, so one node's requests keep their order.
func (o *ownership) onRequest(data []byte, reply func([]byte) error) {
	if o.c.frozen.Load() {
		return // tests: a stopped process answers nothing
	}
	var req cmdRequest
	if err := json.Unmarshal(data, &req); err != nil {
		reply(encode(cmdResponse{Code: board.CodeInvalid, Message: "malformed request"}))
		return
	}
	o.mu.Lock()
	stopped := o.stopped
	o.mu.Unlock()
	// A node that could not renew for a whole TTL (it was stopped, or cut
	// off from the database) may have lost the session: it answers
	// nothing more until its renewal says, rather than serve a stale room
	// beside the new owner.
	if o.c.srv.now().Sub(time.Unix(0, o.c.lastOK.Load())) > o.c.cfg.LeaseTTL {
		stopped = true
	}
	if stopped {
		reply(encode(cmdResponse{Code: board.CodeUnavailable, Message: msgRoomStopped}))
		return
	}
	reply(encode(o.handle(req)))
}

func (o *ownership) handle(req cmdRequest) cmdResponse {
	ctx, cancel := context.WithTimeout(context.Background(), o.c.cfg.RequestTimeout)
	defer cancel()
	now := o.c.srv.now()
	switch req.Kind {
	case kindAttach:
		return o.attach(ctx, req, now)
	case kindCmd:
		rc := o.remote(req.Node, req.RID, now)
		if rc == nil {
			return cmdResponse{Code: codeUnknownConn, Message: "attach again"}
		}
		var cmd board.Command
		if err := json.Unmarshal(req.Cmd, &cmd); err != nil {
			return cmdResponse{Code: board.CodeInvalid, Message: "frame is not a valid command object"}
		}
		// The person's limit holds across nodes: the owner counts too.
		if !o.c.srv.commands.allow(rc.cl.participantID, now) {
			return cmdResponse{Code: board.CodeRateLimited, Message: errTooFast}
		}
		if err := o.c.srv.hub.sendLocal(ctx, o.id, commandMsg{cl: rc.cl, cmd: cmd}); err != nil {
			return errResponse(err, o.c.safe)
		}
		return cmdResponse{}
	case kindDetach:
		if rc := o.remote(req.Node, req.RID, now); rc != nil {
			o.c.srv.hub.sendLocal(ctx, o.id, detachMsg{cl: rc.cl})
			rc.l.remove(rc)
			rc.end()
		}
		return cmdResponse{}
	case kindBeat:
		l := o.link(req.Node, now)
		l.mu.Lock()
		var unknown []uint64
		listed := make(map[uint64]bool, len(req.RIDs))
		for _, rid := range req.RIDs {
			listed[rid] = true
			if l.rcs[rid] == nil {
				unknown = append(unknown, rid)
			}
		}
		// Connections the node no longer holds (it attached them again
		// under a new rid after a gap) are let go.
		var stale []*remoteClient
		for rid, rc := range l.rcs {
			if rid <= req.MaxRID && !listed[rid] {
				stale = append(stale, rc)
				delete(l.rcs, rid)
			}
		}
		link, seq := l.id, l.seq
		l.mu.Unlock()
		for _, rc := range stale {
			o.c.srv.hub.sendLocal(ctx, o.id, detachMsg{cl: rc.cl})
			rc.end()
		}
		return cmdResponse{Unknown: unknown, Link: link, Seq: seq}
	case kindHTTP:
		var cmd board.Command
		if err := json.Unmarshal(req.Cmd, &cmd); err != nil {
			return cmdResponse{Code: board.CodeInvalid, Message: "frame is not a valid command object"}
		}
		reply := make(chan cmdReply, 1)
		r, err := askLocal(ctx, o.c.srv.hub, o.id, commandMsg{tokenHash: req.Token, cmd: cmd, reply: reply}, reply)
		if err != nil {
			return errResponse(err, o.c.safe)
		}
		return cmdResponse{Frame: r.frame, Code: r.code}
	case kindJoin:
		if req.Join == nil {
			return cmdResponse{Code: board.CodeInvalid, Message: "no participant"}
		}
		p := *req.Join
		p.TokenHash = req.Token
		reply := make(chan error, 1)
		err, aerr := askLocal(ctx, o.c.srv.hub, o.id, joinMsg{p: p, code: req.Code, reply: reply}, reply)
		if err = firstErr(aerr, err); err != nil {
			return errResponse(err, o.c.safe)
		}
		return cmdResponse{}
	case kindView:
		var online []string
		fn := func(st *board.State, _ *board.Participant, isOnline func(string) bool) error {
			for id := range st.Participants {
				if isOnline(id) {
					online = append(online, id)
				}
			}
			return nil
		}
		reply := make(chan error, 1)
		err, aerr := askLocal(ctx, o.c.srv.hub, o.id, viewMsg{tokenHash: req.Token, fn: fn, reply: reply}, reply)
		if err = firstErr(aerr, err); err != nil {
			return errResponse(err, o.c.safe)
		}
		return cmdResponse{Online: online}
	case kindPhotos:
		o.c.srv.hub.sendLocal(ctx, o.id, photosMsg{count: req.Count})
		return cmdResponse{}
	case kindStop:
		o.c.srv.hub.sendLocal(ctx, o.id, stopMsg{})
		return cmdResponse{}
	}
	return cmdResponse{Code: board.CodeInvalid, Message: "unknown request"}
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// attach attaches a connection of another node to the room: a client
// whose outbox its forwarder publishes to that node.
func (o *ownership) attach(ctx context.Context, req cmdRequest, now time.Time) cmdResponse {
	l := o.link(req.Node, now)
	rc := &remoteClient{rid: req.RID, cl: &client{out: newOutbox()}, l: l, stop: make(chan struct{})}
	l.mu.Lock()
	if old := l.rcs[req.RID]; old != nil {
		old.end()
	}
	l.rcs[req.RID] = rc
	l.mu.Unlock()
	go rc.forward()
	reply := make(chan error, 1)
	err, aerr := askLocal(ctx, o.c.srv.hub, o.id, attachMsg{tokenHash: req.Token, since: req.Since, progress: req.Progress,
		resume: req.Resume, cl: rc.cl, reply: reply}, reply)
	if err = firstErr(aerr, err); err != nil {
		l.remove(rc)
		rc.end()
		return errResponse(err, o.c.safe)
	}
	return cmdResponse{PID: rc.cl.participantID}
}

// link returns (making) the link to node, and notes that node is alive.
func (o *ownership) link(node string, now time.Time) *link {
	o.mu.Lock()
	defer o.mu.Unlock()
	l := o.links[node]
	if l == nil {
		l = &link{o: o, node: node, id: newLinkID(), rcs: map[uint64]*remoteClient{}}
		o.links[node] = l
	}
	l.mu.Lock()
	l.lastBeat = now
	l.mu.Unlock()
	return l
}

// remote finds a connection of node, noting that node is alive.
func (o *ownership) remote(node string, rid uint64, now time.Time) *remoteClient {
	o.mu.Lock()
	l := o.links[node]
	o.mu.Unlock()
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lastBeat = now
	return l.rcs[rid]
}

// dropSilent detaches the connections of nodes that missed their
// heartbeats: their people go offline.
func (o *ownership) dropSilent(now time.Time) {
	limit := time.Duration(missedBeats) * o.c.cfg.Heartbeat
	o.mu.Lock()
	var silent []*link
	for node, l := range o.links {
		l.mu.Lock()
		if now.Sub(l.lastBeat) > limit {
			silent = append(silent, l)
			delete(o.links, node)
		}
		l.mu.Unlock()
	}
	o.mu.Unlock()
	for _, l := range silent {
		l.mu.Lock()
		rcs := l.rcs
		l.rcs = map[uint64]*remoteClient{}
		l.mu.Unlock()
		if len(rcs) > 0 {
			o.c.log.Info("a node stopped beating: dropping its connections", "session", o.id, "peer", l.node, "connections", len(rcs))
		}
		for _, rc := range rcs {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			o.c.srv.hub.sendLocal(ctx, o.id, detachMsg{cl: rc.cl})
			cancel()
			rc.end()
		}
	}
}

func (l *link) remove(rc *remoteClient) {
	l.mu.Lock()
	if l.rcs[rc.rid] == rc {
		delete(l.rcs, rc.rid)
	}
	l.mu.Unlock()
}

// forward publishes what the room queues for the connection, in order,
// and its close.
func (rc *remoteClient) forward() {
	var buf []frame
	for {
		select {
		case <-rc.cl.out.notify:
		case <-rc.stop:
			return
		}
		var code int
		var text string
		buf, code, text = rc.cl.out.take(buf)
		for _, f := range buf {
			rc.l.publishFrame(rc.rid, f)
		}
		clear(buf)
		if code != 0 {
			rc.l.publish(linkHeader{Kind: linkClose, RID: rc.rid, Close: uint16(code)}, []byte(text))
			rc.l.remove(rc)
			rc.end()
			return
		}
	}
}

// publishFrame sends a frame, in chunks when it is larger than the
// broker carries.
func (l *link) publishFrame(rid uint64, f frame) {
	b := f.b
	if f.parts != nil {
		b = make([]byte, 0, f.size())
		for _, p := range f.parts {
			b = append(b, p...)
		}
	}
	max := l.o.c.cfg.Broker.MaxPayload() - linkHeaderMax
	if max < 1024 {
		max = 1024
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(b) > max {
		l.publishLocked(linkHeader{Kind: linkChunk, RID: rid}, b[:max])
		b = b[max:]
	}
	l.publishLocked(linkHeader{Kind: linkFrame, RID: rid}, b)
}

func (l *link) publish(h linkHeader, payload []byte) {
	l.mu.Lock()
	l.publishLocked(h, payload)
	l.mu.Unlock()
}

// publishLocked numbers a message and publishes it; the seq and the
// publish happen under l.mu, so the order on the subject is seq order.
func (l *link) publishLocked(h linkHeader, payload []byte) {
	l.seq++
	h.Link, h.Seq, h.Session = l.id, l.seq, l.o.id
	l.buf = appendLink(l.buf[:0], h, payload)
	if err := l.o.c.cfg.Broker.Publish(nodeSubject(l.node), l.buf); err != nil {
		// Lost: the node sees the gap at the next message and resumes.
		l.o.c.log.Warn("publishing a frame", "peer", l.node, "err", err)
	}
	if cap(l.buf) > 64<<10 {
		l.buf = nil
	}
}

// askLocal is ask on this node's room only (the owner's side of a
// forwarded request).
func askLocal[T any](ctx context.Context, h *hub, id string, m any, reply chan T) (T, error) {
	var zero T
	if err := h.sendLocal(ctx, id, m); err != nil {
		return zero, err
	}
	select {
	case v := <-reply:
		return v, nil
	case <-ctx.Done():
		return zero, board.Errorf(board.CodeUnavailable, "the session did not answer in time")
	}
}
