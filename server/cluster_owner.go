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
	links   map[peer]*link // by node and incarnation
	handing []*link        // the room's goroutine alone: the links handOff goes through
	stopped bool           // the room stopped: requests are answered unavailable
	fenced  bool           // the lease was lost: it is not released
}

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
		rc := o.remote(peer{req.Node, req.Inc}, req.RID, now)
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
		if rc := o.remote(peer{req.Node, req.Inc}, req.RID, now); rc != nil {
			o.c.srv.hub.sendLocal(ctx, o.id, detachMsg{cl: rc.cl})
			rc.l.remove(rc)
		}
		return cmdResponse{}
	case kindBeat:
		l := o.link(peer{req.Node, req.Inc}, now)
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
		link, seq := l.id, l.seq.Load()
		l.mu.Unlock()
		for _, rc := range stale {
			o.c.srv.hub.sendLocal(ctx, o.id, detachMsg{cl: rc.cl})
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
		if err := o.c.srv.hub.callLocal(ctx, o.id, joinMsg{p: p, code: req.Code, reply: reply}, reply); err != nil {
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
		if err := o.c.srv.hub.callLocal(ctx, o.id, viewMsg{tokenHash: req.Token, fn: fn, reply: reply}, reply); err != nil {
			return errResponse(err, o.c.safe)
		}
		return cmdResponse{Online: online}
	case kindPhotos:
		o.c.srv.hub.sendLocal(ctx, o.id, photosMsg{count: req.Count})
		return cmdResponse{}
	case kindRaw:
		return o.serveForwarded(req)
	case kindStop:
		o.c.srv.hub.sendLocal(ctx, o.id, stopMsg{})
		return cmdResponse{}
	}
	return cmdResponse{Code: board.CodeInvalid, Message: "unknown request"}
}

// attach attaches a connection of another node to the room: a client
// whose outbox the room hands to the link at the end of each batch.
func (o *ownership) attach(ctx context.Context, req cmdRequest, now time.Time) cmdResponse {
	l := o.link(peer{req.Node, req.Inc}, now)
	rc := &remoteClient{rid: req.RID, cl: &client{out: newOutbox()}, l: l}
	l.mu.Lock()
	old := l.rcs[req.RID] // rids are unique per peer: only a repeated request
	l.rcs[req.RID] = rc
	l.mu.Unlock()
	if old != nil {
		o.c.srv.hub.sendLocal(ctx, o.id, detachMsg{cl: old.cl})
	}
	reply := make(chan error, 1)
	if err := o.c.srv.hub.callLocal(ctx, o.id, attachMsg{tokenHash: req.Token, since: req.Since, progress: req.Progress,
		resume: req.Resume, cl: rc.cl, reply: reply}, reply); err != nil {
		l.remove(rc)
		return errResponse(err, o.c.safe)
	}
	return cmdResponse{PID: rc.cl.participantID}
}
