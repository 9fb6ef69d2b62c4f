package server

import (
	"errors"
	"net"
	"syscall"
	"time"
)

// Direct writes (issue 12). In W2 (50 rooms of 20, a note a second each)
// every delivery used to cost a wake of the connection's writer goroutine
// besides its write(2): the push's channel send, the writer's select, its
// locks and deadline, and the scheduler's handoff — about as much CPU again
// as the system call. A room now queues what one flush sends a connection
// (its events, and the sender's ack after its event) without waking
// anyone, and then, if that connection's writer is idle and nothing else
// waits, writes it to the socket itself: one non-blocking write(2) for the
// lot. Whatever does not go out at once — a full socket buffer, a writer
// that is busy, a closing connection, a big frame — is left to the writer
// exactly as before, so a slow reader never blocks the room and the queue
// stays bounded in bytes.
//
// The room's goroutine makes these system calls one after the other, so it
// writes only while nothing waits in its inbox and it did not flush a
// moment ago (directMinGap), and only in rooms of at most directMaxClients
// connections. Otherwise the writers do it as before,
// in parallel and batching under load: in a big room the last connection
// would wait for all the others, and during a paste (W3: 130 ms → 450 ms
// when the room wrote every flush itself) or under the knee's load the
// room's goroutine would become the bottleneck.
const (
	directMaxClients = 64
	// directMinGap: a room that flushes again within this time of its
	// last flush is busy, and leaves the writing to the writers. A writer
	// woken for one flush and finding the next one's frames too writes
	// them all with one system call; a room writing each flush itself
	// makes one call per connection per flush, which under a closed-loop
	// load cost 6× the CPU per change (BenchmarkFanoutSockets). In W2 a
	// room flushes 20 times a second at random moments: about 2% of its
	// flushes come this close.
	directMinGap = time.Millisecond
	// directMaxBytes bounds what a room writes for one connection in one
	// go (its frames of one flush); more is left to the writer.
	directMaxBytes = 16 << 10
	// deadlineSlack: the writer moves a connection's write deadline only
	// when less than writeWait-deadlineSlack of it is left. Each write
	// used to set it anew (a runtime timer reset per frame); a write
	// still gets at least writeWait-deadlineSlack.
	deadlineSlack = time.Second
)

// rawConnOf returns the socket under a hijacked connection, for direct
// writes; nil when it is not a plain socket (then only the writer writes).
func rawConnOf(c net.Conn) syscall.RawConn {
	for i := 0; i < 4 && c != nil; i++ {
		switch x := c.(type) {
		case interface{ UnsafeConn() net.Conn }: // fasthttp's hijacked connection
			c = x.UnsafeConn()
		case *trackedConn:
			c = x.Conn
		case syscall.Conn:
			rc, err := x.SyscallConn()
			if err != nil {
				return nil
			}
			return rc
		default:
			return nil
		}
	}
	return nil
}

// pushQuiet queues a frame like pushFrame but wakes nobody: the room calls
// sendNow (or wake) once it has queued the whole flush.
func (o *outbox) pushQuiet(f frame) bool {
	ok, wake := o.pushLocked(f)
	if wake {
		o.wake()
	}
	return ok
}

// sendNow writes what is queued straight to the socket when the writer is
// idle, the queue holds only small frames and the socket takes them without
// waiting; anything else is handed to the writer.
func (o *outbox) sendNow() {
	o.mu.Lock()
	if o.raw == nil || o.busy || o.closed || o.rest != nil || len(o.frames) == 0 ||
		o.bulk > 0 || o.bytes+len(o.frames)*10 > directMaxBytes {
		o.mu.Unlock()
		o.wake()
		return
	}
	for _, f := range o.frames {
		if f.parts != nil {
			o.mu.Unlock()
			o.wake()
			return
		}
	}
	bp := batchPool.Get().(*[]byte)
	b := (*bp)[:0]
	for _, f := range o.frames {
		b = appendTextHeader(b, len(f.b))
		b = append(b, f.b...)
	}
	// Under the lock: the writer cannot start meanwhile (it takes the
	// lock to mark itself busy), so the bytes on the wire stay in order.
	n := o.rw.try(o.raw, b)
	if n > 0 {
		clear(o.frames)
		o.frames, o.bytes = o.frames[:0], 0
		if n < len(b) {
			// The rest of a frame already begun: the writer sends it
			// before anything else.
			o.rest = append([]byte(nil), b[n:]...)
			o.bytes = len(o.rest)
		}
	}
	o.mu.Unlock()
	*bp = b[:0]
	batchPool.Put(bp)
	if n < len(b) {
		o.wake()
	}
}

// rawWriter makes one write(2) of a buffer without waiting for the
// socket. The function RawConn.Write calls is bound once per connection:
// a closure made per write was one allocation per delivery (W2: 20,000 a
// second).
type rawWriter struct {
	b  []byte
	n  int
	fn func(fd uintptr) bool
}

// try writes b to rc once and returns what the kernel took (0 when it
// took nothing or failed; the writer then meets the error itself).
// Under the outbox's lock.
func (w *rawWriter) try(rc syscall.RawConn, b []byte) int {
	if w.fn == nil {
		w.fn = w.write
	}
	w.b, w.n = b, 0
	err := rc.Write(w.fn)
	w.b = nil
	if err != nil {
		return 0 // the write deadline passed: the writer sets a new one
	}
	return w.n
}

func (w *rawWriter) write(fd uintptr) bool {
	for {
		k, err := syscall.Write(int(fd), w.b)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err == nil && k > 0 {
			w.n = k
		}
		return true // one attempt: never wait for the socket
	}
}

// claim marks the writer busy (no direct write until release) and returns
// what it must write: the rest of a direct write, the queue, a pong that is
// due, and once closed the close code.
func (o *outbox) claim(buf []frame) (rest []byte, frames []frame, pong []byte, code int, text string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.busy = true
	rest, o.rest = o.rest, nil
	pong, o.pong = o.pong, nil
	frames = o.takeLocked(buf)
	if o.closed {
		code, text = o.closeCode, o.closeText
	}
	return rest, frames, pong, code, text
}

// hold marks the writer busy for a write of its own (a ping).
func (o *outbox) hold() {
	o.mu.Lock()
	o.busy = true
	o.mu.Unlock()
}

// release ends the writer's write: direct writes may go again.
func (o *outbox) release() {
	o.mu.Lock()
	o.busy = false
	o.mu.Unlock()
}

// lazyDeadline is the writer's socket with a write deadline that moves
// only when less than writeWait-deadlineSlack is left (see deadlineSlack).
type lazyDeadline struct {
	net.Conn
	until time.Time
}

func (c *lazyDeadline) SetWriteDeadline(t time.Time) error {
	if !c.until.IsZero() && t.Sub(c.until) < deadlineSlack {
		return nil
	}
	c.until = t
	return c.Conn.SetWriteDeadline(t)
}

// forget makes the next SetWriteDeadline set the deadline (after a write
// that set its own, a control frame's).
func (c *lazyDeadline) forget() { c.until = time.Time{} }

// heldWrites is a room's state of direct writes: whether a flush is
// queueing its frames quietly, for which clients, and when the room last
// flushed.
type heldWrites struct {
	holding bool
	held    []*client
	last    time.Time
}

// holdWakes makes the room's pushes quiet until sendHeld (a flush), in a
// room small enough to write itself; a big room's pushes wake each writer
// at once, as before, so that the writers start while it still fans out.
func (r *room) holdWakes() { r.wr.holding = len(r.clients) <= directMaxClients }

// sendHeld ends a flush's quiet pushes: each connection that got frames
// gets them written now by the room, or its writer woken when the room
// has work waiting or flushed a moment ago (see directMinGap).
func (r *room) sendHeld() {
	now := r.deps.now()
	direct := now.Sub(r.wr.last) >= directMinGap
	r.wr.holding, r.wr.last = false, now
	for i, cl := range r.wr.held {
		cl.held = false
		if direct && len(r.inbox) == 0 {
			cl.out.sendNow()
		} else {
			// Work waits for the room (a paste), or it flushes in quick
			// succession: its writers take the rest, batching it with
			// what comes next, while the room decides the next batch.
			cl.out.wake()
		}
		r.wr.held[i] = nil
	}
	r.wr.held = r.wr.held[:0]
	if cap(r.wr.held) > 4*directMaxClients {
		r.wr.held = nil
	}
}
