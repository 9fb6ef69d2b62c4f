package server

import "sync"

// Each session's link messages are delivered by a goroutine of that
// session's own (docs/cluster.md, "The receiving node"). Every owner's
// frames for this node arrive on one subscription, rembuk.node.<node>,
// one message at a time. Delivering them there — each frame pushed to,
// and mostly written straight into, every listed socket — put every
// session of the node behind one goroutine: in W2 (50 sessions of 20 on
// the node) a thousand messages a second of 20 write(2)s each, 58 % of
// the node's CPU, with half or more of the messages queued behind the
// one before and any one of them descheduled holding up all the others. An
// owner makes the same writes from 50 room goroutines at once.
//
// Now the subscription only reads a message's header and appends the
// message to its session's inbox; a goroutine started when the inbox
// gets its first message delivers them in arrival order and ends when it
// is empty, as the owner's link sender does. One session's messages keep
// the order they arrived in (the subject's, which is the owner's publish
// order), so everything p.deliver relies on holds as before: each link's
// seq is checked in order (a gap still means a resume), a connection's
// event comes before its ack, and its close after its frames. Sessions
// no longer wait for one another.

// maxInbox bounds the bytes of link messages a node holds undelivered,
// all its sessions' inboxes together (the same as NATS' own default
// pending limit): a node far behind holds as much as it did when the
// subscription delivered everything itself, however many sessions it
// serves. Past it the subscription waits until the sessions' goroutines
// have delivered enough (a message is never dropped here): the broker's
// own buffer then fills, and what it drops is a gap that resumes, as for
// any slow consumer. A message is always taken when nothing waits,
// however big.
const maxInbox = 64 << 20

// linkMsg is a link message waiting for delivery: its header and payload
// (the broker's, which the handler may keep).
type linkMsg struct {
	h       linkHeader
	payload []byte
}

// inbox is a session's link messages waiting for delivery, in arrival
// order.
type inbox struct {
	mu      sync.Mutex
	msgs    []linkMsg
	spare   []linkMsg
	running bool // a goroutine is delivering them
}

// inboxes is the node's account of what all its inboxes hold.
type inboxes struct {
	mu    sync.Mutex
	bytes int           // taken by the subscription, not yet delivered
	space chan struct{} // the waiting subscription is told some were delivered
	waits int           // how often the subscription waited (tests)
}

// msgBytes is what a message counts against maxInbox.
func msgBytes(payload []byte) int { return len(payload) + linkHeaderMax }

// enqueue hands a link message to the session's delivering goroutine,
// starting one if none runs. It waits while the node's inboxes are full,
// and drops the message only when the node is shutting down (its
// connections are closing).
func (p *proxy) enqueue(h linkHeader, payload []byte) {
	if !p.c.in.take(msgBytes(payload), p.c.inboxMax, p.c.stop) {
		return
	}
	q := &p.in
	q.mu.Lock()
	q.msgs = append(q.msgs, linkMsg{h, payload})
	start := !q.running
	q.running = true
	q.mu.Unlock()
	if start && !p.c.spawn(p.drain) {
		q.mu.Lock()
		for _, m := range q.msgs {
			p.c.in.done(msgBytes(m.payload))
		}
		clear(q.msgs)
		q.msgs, q.running = q.msgs[:0], false
		q.mu.Unlock()
	}
}

// take counts n more bytes held, first waiting while that would pass
// limit and something is held; false when stop closed meanwhile.
func (a *inboxes) take(n, limit int, stop <-chan struct{}) bool {
	a.mu.Lock()
	if a.space == nil {
		a.space = make(chan struct{}, 1)
	}
	for a.bytes > 0 && a.bytes+n > limit {
		a.waits++
		space := a.space
		a.mu.Unlock()
		select {
		case <-space:
		case <-stop:
			return false
		}
		a.mu.Lock()
	}
	a.bytes += n
	a.mu.Unlock()
	return true
}

// done counts n bytes delivered (or dropped), waking a waiting
// subscription.
func (a *inboxes) done(n int) {
	a.mu.Lock()
	a.bytes -= n
	space := a.space
	a.mu.Unlock()
	select {
	case space <- struct{}{}:
	default:
	}
}

// drain delivers the inbox's messages in order until it is empty. While
// the node is frozen (tests: a stopped process) they are dropped, as the
// subscription drops them; after shutdown too.
func (p *proxy) drain() {
	q := &p.in
	for {
		q.mu.Lock()
		msgs := q.msgs
		if len(msgs) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		q.msgs, q.spare = q.spare[:0], nil
		q.mu.Unlock()
		for i, m := range msgs {
			if !p.c.frozen.Load() && !p.c.stopping() {
				p.deliver(m.h, m.payload)
			}
			p.c.in.done(msgBytes(m.payload))
			msgs[i] = linkMsg{}
		}
		q.mu.Lock()
		if cap(msgs) <= 1024 {
			q.spare = msgs[:0]
		}
		q.mu.Unlock()
	}
}

// spawn runs f on a goroutine that shutdown waits for; once shutdown has
// begun it runs nothing and reports false.
func (c *cluster) spawn(f func()) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return false
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f()
	}()
	return true
}

// stopping reports whether shutdown has begun.
func (c *cluster) stopping() bool {
	select {
	case <-c.stop:
		return true
	default:
		return false
	}
}
