package server

import (
	"sync"
	"syscall"

	"rembuk/board"
)

// Limits and deadlines of live connections, together.
const (
	// maxQueueBytes bounds the live frames that wait for one connection. A
	// paste of 1,000 notes is ~400 KB of frames; 8 MiB lets a healthy client
	// on a slow link absorb that several times over, while a client that
	// stopped reading is cut off instead of holding the room's memory.
	maxQueueBytes = 8 << 20
	// bulkFrameBytes: a frame at least this big is bulk — a welcome with
	// the whole board, or an event carrying every note (notes.revealed). A
	// board at the caps is ~22 MB of JSON (5,000 notes of 1,000 emoji), so
	// bulk frames cannot fit the live limit; they are counted apart, and
	// they are shared bytes (one encoding per visibility class), so a queue
	// holding one costs the server a reference, not a copy.
	bulkFrameBytes = 1 << 20
	// maxBulkBytes bounds the bulk frames waiting for one connection:
	// room for a welcome and two full-board events at the caps. A client
	// that lets more pile up is cut off like a slow one (1013).
	maxBulkBytes = 64 << 20
	// keepQueueCap is the most frame slots a queue (and its writer's
	// batch) keeps between bursts; larger ones are let go, so that 2,000
	// idle connections do not each hold the slots of the last crowd's
	// presence frames (docs/performance.md, W5).
	keepQueueCap = 32
)

// Close codes the rooms use.
const (
	closeGoingAway  = 1001 // server shutting down
	closePolicy     = 1008 // bad token, or too many bad frames
	closeTooBig     = 1009
	closeInternal   = 1011 // a panic in this connection's handler
	closeTryLater   = 1013 // too slow: the queue passed its byte limit
	closeRemoved    = 4003 // the facilitator removed this participant
	closeReplaced   = 4008 // the participant opened more than maxPerParticipant connections: the oldest goes
	closeMerged     = 4009 // the facilitator merged this participant's row with another: reconnect
	closeTooManyIPs = 4029 // the client address holds maxPerAddress connections already
)

// frame is one outgoing message: one byte slice, or (a welcome with the
// whole board) parts written in order, most of them shared with other
// connections. Neither is ever copied into a per-connection buffer.
type frame struct {
	b     []byte
	parts [][]byte
}

// size is the frame's length in bytes.
func (f frame) size() int {
	n := len(f.b)
	for _, p := range f.parts {
		n += len(p)
	}
	return n
}

// outbox is a connection's queue, bounded in bytes. The room pushes frames
// without ever blocking; the transport's single writer drains it. Frames are
// shared, immutable byte slices: one encoding serves every connection of a
// visibility class.
type outbox struct {
	mu        sync.Mutex
	frames    []frame
	bytes     int  // live frames queued
	bulk      int  // bulk frames queued (bulkFrameBytes and over)
	hadBulk   bool // a bulk frame was queued once: its end frees much memory
	closed    bool
	closeCode int
	closeText string
	pong      []byte // a ping's payload to answer, nil when none is due
	notify    chan struct{}
	// Direct writes (directwrite.go): the socket, nil when only the
	// writer writes; whether the writer is writing; what a direct write
	// left unwritten, which the writer sends first.
	raw  syscall.RawConn
	rw   rawWriter
	busy bool
	rest []byte
}

func newOutbox() *outbox { return &outbox{notify: make(chan struct{}, 1)} }

func (o *outbox) wake() {
	select {
	case o.notify <- struct{}{}:
	default:
	}
}

// push queues a frame. It returns false, and closes the outbox with 1013,
// when the frame would pass the byte limit.
func (o *outbox) push(b []byte) bool { return o.pushFrame(frame{b: b}) }

// pushFrame queues a frame, counting it against the live or the bulk
// budget by its size (see bulkFrameBytes).
func (o *outbox) pushFrame(f frame) bool {
	ok, _ := o.pushLocked(f)
	o.wake()
	return ok
}

// pushLocked queues a frame; wake reports that the outbox closed for it
// (too slow), which the writer must learn even from a quiet push.
func (o *outbox) pushLocked(f frame) (ok, wake bool) {
	n := f.size()
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return false, false
	}
	budget, limit := &o.bytes, maxQueueBytes
	if n >= bulkFrameBytes {
		budget, limit = &o.bulk, maxBulkBytes
	}
	if *budget+n > limit && *budget > 0 {
		o.closed, o.closeCode, o.closeText = true, closeTryLater, "too slow"
		o.frames, o.bytes, o.bulk = nil, len(o.rest), 0 // a begun frame is finished first
		o.mu.Unlock()
		return false, true
	}
	o.frames = append(o.frames, f)
	*budget += n
	o.hadBulk = o.hadBulk || n >= bulkFrameBytes
	o.mu.Unlock()
	return true, false
}

// close asks the writer to send what is queued, then a close frame.
func (o *outbox) close(code int, text string) {
	o.mu.Lock()
	if !o.closed {
		o.closed, o.closeCode, o.closeText = true, code, text
	}
	o.mu.Unlock()
	o.wake()
}

// abort drops what is queued and asks the writer for a close frame at
// once: for a connection pushed out by a newer one of the same person,
// whose queue nobody will read.
func (o *outbox) abort(code int, text string, last []byte) {
	o.mu.Lock()
	if !o.closed {
		o.closed, o.closeCode, o.closeText = true, code, text
		clear(o.frames)
		o.frames, o.bytes, o.bulk = o.frames[:0], 0, 0
		if last != nil {
			o.frames = append(o.frames, frame{b: last})
		}
	}
	o.mu.Unlock()
	o.wake()
}

// heldBulk reports whether a bulk frame was ever queued here.
func (o *outbox) heldBulk() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.hadBulk
}

// isClosed reports whether the outbox was closed (by the room, or by the
// transport's writer when it ended).
func (o *outbox) isClosed() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.closed
}

// answerPing asks the writer to send a pong with data (the reader must
// not write to the socket itself).
func (o *outbox) answerPing(data []byte) {
	o.mu.Lock()
	o.pong = append([]byte{}, data...) // non-nil even when empty
	o.mu.Unlock()
	o.wake()
}

// take returns the queued frames and, once closed, the close code (0 while
// open).
func (o *outbox) take(buf []frame) ([]frame, int, string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	buf = o.takeLocked(buf)
	if o.closed {
		return buf, o.closeCode, o.closeText
	}
	return buf, 0, ""
}

func (o *outbox) takeLocked(buf []frame) []frame {
	buf = append(buf[:0], o.frames...)
	clear(o.frames)
	o.frames, o.bytes, o.bulk = o.frames[:0], 0, 0
	if cap(o.frames) > keepQueueCap {
		o.frames = nil // a burst is over: an idle connection keeps no large queue
	}
	return buf
}

// client is one live connection of a participant to a room, whatever the
// transport (WebSocket or SSE).
type client struct {
	participantID string
	viewer        board.Viewer
	out           *outbox
	attached      uint64 // order of attachment in the room: the oldest is closed first
	held          bool   // in the room's held list (directwrite.go); room goroutine only
}
