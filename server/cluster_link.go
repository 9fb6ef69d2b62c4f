package server

import (
	"context"
	"sync"
	"time"
)

// The owner's side of a link: one owner room's frames to one run of a
// node, numbered from 1 (docs/cluster.md, "Nodes and broker").

// link carries one owner room's frames to one node, numbered from 1.
type link struct {
	o        *ownership
	node     string
	inc      uint64 // the peer's run: its messages carry it
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

// peer is one run of a node: a node that restarts is a new peer (its
// rids start again), with a link of its own.
type peer struct {
	node string
	inc  uint64
}

// link returns (making) the link to a peer, and notes that it is alive.
func (o *ownership) link(to peer, now time.Time) *link {
	o.mu.Lock()
	defer o.mu.Unlock()
	l := o.links[to]
	if l == nil {
		l = &link{o: o, node: to.node, inc: to.inc, id: newLinkID(), rcs: map[uint64]*remoteClient{}}
		o.links[to] = l
	}
	l.mu.Lock()
	l.lastBeat = now
	l.mu.Unlock()
	return l
}

// remote finds a connection of a peer, noting that it is alive.
func (o *ownership) remote(from peer, rid uint64, now time.Time) *remoteClient {
	o.mu.Lock()
	l := o.links[from]
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
	limit := time.Duration(missedBeats)*o.c.cfg.Heartbeat - o.c.cfg.Heartbeat/2
	o.mu.Lock()
	var silent []*link
	for to, l := range o.links {
		l.mu.Lock()
		if now.Sub(l.lastBeat) > limit {
			silent = append(silent, l)
			delete(o.links, to)
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
	h.Link, h.Seq, h.Inc, h.Session = l.id, l.seq, l.inc, l.o.id
	l.buf = appendLink(l.buf[:0], h, payload)
	if err := l.o.c.cfg.Broker.Publish(nodeSubject(l.node), l.buf); err != nil {
		// Lost: the node sees the gap at the next message and resumes.
		l.o.c.log.Warn("publishing a frame", "peer", l.node, "err", err)
	}
	if cap(l.buf) > 64<<10 {
		l.buf = nil
	}
}
