package server

import (
	"context"
	"sync"

	"rembuk/board"
)

// hub finds, starts and unloads rooms. It is the only shared map of the
// server, guarded by one mutex held only for map operations.
type hub struct {
	deps    roomDeps // what each room gets (deps.hub is this hub)
	mu      sync.Mutex
	rooms   map[string]*room
	closing bool
	wg      sync.WaitGroup
}

func newHub(deps roomDeps) *hub {
	h := &hub{deps: deps, rooms: map[string]*room{}}
	h.deps.hub = h
	return h
}

var errShuttingDown = board.Errorf(board.CodeUnavailable, "the server is shutting down")

// get returns the session's room, starting it if needed.
func (h *hub) get(id string) (*room, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		return nil, errShuttingDown
	}
	r, ok := h.rooms[id]
	if !ok {
		r = newRoom(h.deps, id)
		h.rooms[id] = r
		h.wg.Add(1)
		go r.run()
	}
	// The caller sends now; exited waits for that send before its last
	// drain, so no message lands in an inbox nobody reads.
	r.senders.Add(1)
	return r, nil
}

// send delivers a message to the session's room: on this node, or through
// the cluster to the node that owns it (cluster.go).
func (h *hub) send(ctx context.Context, id string, m any) error {
	if c := h.deps.cluster; c != nil {
		return c.send(ctx, id, m)
	}
	return h.sendLocal(ctx, id, m)
}

// sendLocal delivers a message to the session's room on this node. A room
// that stopped in the meantime is replaced; a session that does not exist
// gives its load error.
func (h *hub) sendLocal(ctx context.Context, id string, m any) error {
	for {
		r, err := h.get(id)
		if err != nil {
			return err
		}
		select {
		case r.inbox <- m:
			r.senders.Done()
			return nil
		case <-r.done:
			r.senders.Done()
			if r.loadErr != nil {
				return r.loadErr
			}
		case <-ctx.Done():
			r.senders.Done()
			return board.Errorf(board.CodeUnavailable, "the session is busy; try again")
		}
	}
}

// trySendLocal delivers m to the session's room on this node if its inbox
// has room now; false means nothing was sent (sendLocal then waits, or
// says why it cannot).
func (h *hub) trySendLocal(id string, m any) bool {
	r, err := h.get(id)
	if err != nil {
		return false
	}
	defer r.senders.Done()
	select {
	case r.inbox <- m:
		return true
	default:
		return false
	}
}

// loaded reports whether the session's room is on this node now.
func (h *hub) loaded(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[id] != nil
}

// remove forgets a room (it stops on its own).
func (h *hub) remove(r *room) {
	h.mu.Lock()
	if h.rooms[r.id] == r {
		delete(h.rooms, r.id)
	}
	h.mu.Unlock()
}

// unloadIfIdle removes an idle room when nothing waits in its inbox.
func (h *hub) unloadIfIdle(r *room) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(r.inbox) > 0 {
		return false
	}
	if h.rooms[r.id] == r {
		delete(h.rooms, r.id)
	}
	return true
}

// exited is the room goroutine's last act: it closes done, then answers
// whatever slipped into the inbox after the room stopped looking.
func (h *hub) exited(r *room) {
	close(r.done)
	// The room is out of the map, so no new sender finds it; the ones that
	// did finish their select at once now that done is closed. Waiting for
	// them means a message they put in the inbox is in the drain below
	// (before, a send racing a room that failed to load at once could
	// pick the inbox and wait for an answer until its timeout).
	r.senders.Wait()
	for {
		select {
		case m := <-r.inbox:
			if r.loadErr != nil && (!isNotOwner(r.loadErr) || !routable(m)) {
				r.fail(m, r.loadErr)
				continue
			}
			go func() {
				ctx, cancel := context.Background(), context.CancelFunc(func() {})
				if h.deps.cluster != nil {
					// Through the cluster the owner may be away: not for ever.
					ctx, cancel = context.WithTimeout(ctx, attachTimeout)
				}
				defer cancel()
				if err := h.send(ctx, r.id, m); err != nil {
					r.fail(m, err)
				}
			}()
		default:
			h.wg.Done()
			return
		}
	}
}

// shutdown stops every room: each flushes its pending changes and closes
// its clients with 1001. New requests get unavailable.
func (h *hub) shutdown(ctx context.Context) error {
	h.mu.Lock()
	h.closing = true
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		select {
		case r.inbox <- stopMsg{}:
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
