package server

import (
	"context"
	"encoding/binary"
	"sync"
	"sync/atomic"
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
	mu       sync.Mutex // guards lastBeat and rcs
	lastBeat time.Time
	rcs      map[uint64]*remoteClient

	// The link's one sender at a time (send) numbers and publishes its
	// messages: seq order is publish order, one publisher on one subject.
	seq atomic.Uint64 // the last seq published (read by beats)
	buf []byte

	// The room's goroutine alone: what handOff gathers (cluster_fan.go).
	fan fanner

	// What the room handed over and is not yet published: entries in
	// order, their bytes, and whether a sender is at it (one at a time,
	// so the link's messages keep the room's order).
	qmu     sync.Mutex
	queue   []fanEntry
	spare   []fanEntry
	queued  int
	skip    bool // entries were dropped: the next seq is skipped
	sending bool
	msg     []byte // the sender's: the message being built
}

// remoteClient is a connection held by another node, attached to the room
// like a local one; at the end of each of the room's batches, what the
// room queued for it goes to its node with the rest of the link's share
// (cluster_fan.go).
type remoteClient struct {
	rid uint64
	cl  *client
	l   *link
	buf []frame // the room's goroutine alone: its frames taken from the outbox
}

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

// maxLinkQueue is ClusterConfig.LinkQueue's default: it bounds the bytes
// handed to a link that its sender has not taken yet (a broker that
// stopped taking them). Past it they are dropped and the link's seq
// skips one, so the node sees the gap and every connection resumes from
// the log, as when the broker loses a message. A bulk frame (a welcome,
// shared with the room's other viewers) counts as bulkFrameBytes, and a
// batch finding the queue empty is always taken: many welcomes at once
// are not a stuck broker.
const maxLinkQueue = 64 << 20

// enqueue hands entries to the link's sender, starting one if none runs.
// It never waits for the broker: the room's goroutine calls it.
func (l *link) enqueue(es []fanEntry) {
	n := 0
	for _, e := range es {
		n += entrySize(len(e.rids), min(e.f.size(), bulkFrameBytes))
	}
	l.qmu.Lock()
	if l.queued > 0 && l.queued+n > l.o.c.cfg.LinkQueue {
		// A sender is running (it is what queued > 0 waits for): it
		// makes the gap before its next message.
		clear(l.queue)
		l.queue, l.queued, l.skip = l.queue[:0], 0, true
		l.qmu.Unlock()
		l.o.c.log.Warn("the broker is not taking a node's frames: dropping them", "session", l.o.id, "peer", l.node)
		return
	}
	l.queue = append(l.queue, es...)
	l.queued += n
	start := !l.sending
	l.sending = true
	l.qmu.Unlock()
	if start {
		go l.send()
	}
}

// send publishes what is queued until nothing is; what the room hands
// over meanwhile goes out with it.
func (l *link) send() {
	for {
		l.qmu.Lock()
		es, skip := l.queue, l.skip
		if len(es) == 0 && !skip {
			l.sending = false
			l.qmu.Unlock()
			return
		}
		l.queue, l.spare, l.queued, l.skip = l.spare[:0], nil, 0, false
		l.qmu.Unlock()
		if skip {
			l.seq.Add(1) // the dropped messages: the node resumes
		}
		l.publishEntries(es)
		clear(es)
		l.qmu.Lock()
		if cap(es) <= 1024 {
			l.spare = es[:0]
		}
		l.qmu.Unlock()
	}
}

// publishEntries sends entries as linkFan messages of at most the
// broker's payload. An entry that alone passes it sends the first bytes
// of its body ahead as linkChunk messages and the rest as the first entry
// of the next linkFan message.
func (l *link) publishEntries(es []fanEntry) {
	max := l.maxBody()
	msg := appendLink(l.msg[:0], linkHeader{Kind: linkFan, Inc: l.inc, Link: l.id, Session: l.o.id}, nil)
	head := len(msg)
	for _, e := range es {
		b := e.f.b
		if e.f.parts != nil {
			b = make([]byte, 0, e.f.size())
			for _, p := range e.f.parts {
				b = append(b, p...)
			}
		}
		size := entrySize(len(e.rids), len(b))
		if len(msg) > head && len(msg)-head+size > max {
			l.publishMsg(msg)
			msg = msg[:head]
		}
		for size > max {
			n := min(size-max, max)
			l.publish(linkHeader{Kind: linkChunk}, b[:n])
			b, size = b[n:], size-n
		}
		msg = appendEntry(msg, e.kind, e.code, e.rids, b)
	}
	if len(msg) > head {
		l.publishMsg(msg)
	}
	l.msg = msg[:0]
	if cap(l.msg) > 256<<10 {
		l.msg = nil
	}
}

// maxBody is the most a message carries after its header.
func (l *link) maxBody() int {
	return max(l.o.c.cfg.Broker.MaxPayload()-linkHeaderMax, 1024)
}

// publishMsg numbers a message built with its header and publishes it.
// Only the link's one sender publishes, so seq order is publish order.
func (l *link) publishMsg(msg []byte) {
	binary.BigEndian.PutUint64(msg[linkSeqAt:], l.seq.Add(1))
	l.send1(msg)
}

// publish numbers a message and publishes it (the sender's, as publishMsg).
func (l *link) publish(h linkHeader, payload []byte) {
	h.Link, h.Seq, h.Inc, h.Session = l.id, l.seq.Add(1), l.inc, l.o.id
	l.buf = appendLink(l.buf[:0], h, payload)
	l.send1(l.buf)
	if cap(l.buf) > 64<<10 {
		l.buf = nil
	}
}

// send1 publishes one numbered message. The broker may keep it waiting;
// the room never waits for it (it takes no lock the sender holds).
func (l *link) send1(msg []byte) {
	if err := l.o.c.cfg.Broker.Publish(nodeSubject(l.node), msg); err != nil {
		// Lost: the node sees the gap at the next message and resumes.
		l.o.c.log.Warn("publishing frames", "peer", l.node, "err", err)
	}
}
