package server

import (
	"sync"

	"rembuk/board"
)

// Caps on live connections (WebSocket and SSE alike), together. They
// belong to the person, not the socket: a participant opening many tabs or
// a script opening many sockets hits the same number.
const (
	// maxPerParticipant: a ninth connection of one participant closes the
	// oldest with closeReplaced (4008). A person's newest tab wins, so a
	// reconnecting phone is never locked out by its own dead connections.
	maxPerParticipant = 8
	// maxPerAddress: connections from one client address at once; a
	// further one is refused (429 before the upgrade, or 4029). A
	// 500-person office behind one NAT needs at most 500 × a few tabs.
	maxPerAddress = 2000
)

// addrCounter counts the live connections of each client address.
type addrCounter struct {
	mu  sync.Mutex
	max int
	n   map[string]int
}

func newAddrCounter(max int) *addrCounter {
	if max <= 0 {
		max = maxPerAddress
	}
	return &addrCounter{max: max, n: map[string]int{}}
}

// full reports whether addr holds the most connections it may (a check
// before the upgrade; acquire decides).
func (a *addrCounter) full(addr string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n[addr] >= a.max
}

// acquire counts one more connection of addr, or reports false at the cap.
func (a *addrCounter) acquire(addr string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.n[addr] >= a.max {
		return false
	}
	a.n[addr]++
	return true
}

// release forgets one connection of addr.
func (a *addrCounter) release(addr string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.n[addr]--; a.n[addr] <= 0 {
		delete(a.n, addr)
	}
}

// localAddr is the Fiber local that carries the client address from the
// upgrade check into the socket handler.
const localAddr = "rembuk.addr"

var errTooManyConns = board.Errorf(board.CodeRateLimited, "too many live connections from this address")

// evictOldest closes the oldest connection of participant pid with
// closeReplaced, so that a new one fits under maxPerParticipant. What was
// queued for it is dropped: it is one of the person's older tabs or a
// dead connection.
func (r *room) evictOldest(pid string) {
	var oldest *client
	for cl := range r.clients {
		if cl.participantID == pid && (oldest == nil || cl.attached < oldest.attached) {
			oldest = cl
		}
	}
	if oldest == nil {
		return
	}
	r.log.Info("closing a participant's oldest connection", "participant", pid, "max", maxPerParticipant)
	oldest.out.abort(closeReplaced, "replaced by a newer connection", encodeReplaced())
	r.detach(oldest)
}

// encodeReplaced is the last frame of a connection closed for a newer one:
// SSE has no close code, so the frame carries it.
func encodeReplaced() []byte {
	return encode(errorFrame{Type: "error", Code: board.CodeConflict, Close: closeReplaced,
		Message: "this participant opened a newer connection; this one, the oldest, was closed"})
}
