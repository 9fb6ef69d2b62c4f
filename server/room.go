package server

import (
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"rembuk/board"
)

// Room tuning, together.
const (
	roomInbox      = 1024 // messages waiting for a room
	roomBatch      = 512  // messages decided per group commit at most
	replayInMemory = 1024 // recent events kept for resume without a query
	replayFromLog  = 5000 // older gaps up to this are read from the log; beyond, a full board
	submitTimeout  = 30 * time.Second
)

// roomDeps is all a room needs from outside: the store, the clock and ids,
// its log, how long it stays loaded without clients, the command limiter
// the HTTP fallback is charged against, and the hub that owns it (told
// when the room stops). Not the whole Server.
type roomDeps struct {
	store    Store
	now      func() time.Time
	newID    func() string
	log      *slog.Logger
	idle     time.Duration
	commands *rateLimiter
	hub      *hub
	cluster  *cluster // nil: one node alone; else leases and fencing (cluster.go)
}

// room owns one session's live state and its clients. Only its goroutine
// touches st, clients, refs and recent: no locks.
type room struct {
	id      string
	deps    roomDeps
	log     *slog.Logger
	inbox   chan any
	done    chan struct{}  // closed when the goroutine has stopped taking messages
	loadErr error          // set before done closes when loading failed
	senders sync.WaitGroup // hub.send calls that found this room and have not yet sent

	st            *board.State
	refs          map[string]board.Ack
	byToken       map[string]string // hex(token hash) -> participant id (devices included)
	rejoins       *rejoinBook       // second-device requests and links (rejoin.go)
	clients       map[*client]struct{}
	online        map[string]int // participant id -> live clients
	attachSeq     uint64         // clients attached so far: their order, for evictOldest
	notes         *notesCache    // the board's notes encoded per role for welcomes (welcome.go)
	recent        []board.Event  // the last events, for resume
	pending       []pendingChange
	dirtyPresence bool
	broken        bool
	epoch         int64      // the lease's fencing epoch (0: one node, unfenced)
	own           *ownership // the lease and links to other nodes (nil: one node alone)
	wr            heldWrites // a flush's frames, written by the room itself when it can (directwrite.go)
}

// pendingChange is a decided change waiting for the group commit, with
// what to do once it is stored (or not).
type pendingChange struct {
	ch   *board.Change
	done func(seq int64, err error)
}

func newRoom(deps roomDeps, id string) *room {
	return &room{id: id, deps: deps, log: deps.log.With("session", id), inbox: make(chan any, roomInbox),
		done: make(chan struct{}), clients: map[*client]struct{}{}, online: map[string]int{}}
}

// run loads the session and then serves messages until stopped or idle.
func (r *room) run() {
	defer r.deps.hub.exited(r)
	var own *ownership // this node's lease on the session (cluster.go)
	if c := r.deps.cluster; c != nil {
		var err error
		if own, err = c.acquire(r); err != nil {
			// What waits is routed again by hub.exited (to the owner).
			r.loadErr = err
			r.deps.hub.remove(r)
			return
		}
		r.epoch, r.own = own.epoch, own
		defer own.exited()
	}
	ctx, cancel := context.WithTimeout(context.Background(), submitTimeout)
	st, refs, err := r.deps.store.LoadState(ctx, r.id)
	cancel()
	if err != nil {
		r.loadErr = err
		r.deps.hub.remove(r)
		r.failAll(err)
		return
	}
	r.st, r.refs = st, refs
	r.indexTokens()
	if own != nil {
		own.serve()
	}
	idle := time.NewTimer(r.deps.idle)
	defer idle.Stop()
	batch := make([]any, 0, roomBatch)
	for {
		select {
		case m := <-r.inbox:
			batch = append(batch[:0], m)
		drain:
			for len(batch) < roomBatch {
				select {
				case m := <-r.inbox:
					batch = append(batch, m)
				default:
					break drain
				}
			}
			if r.handle(batch) {
				return
			}
			if !idle.Stop() {
				select {
				case <-idle.C:
				default:
				}
			}
			idle.Reset(r.deps.idle)
		case <-idle.C:
			if len(r.clients) == 0 && r.deps.hub.unloadIfIdle(r) {
				return // hub.exited hands on what arrives now
			}
			idle.Reset(r.deps.idle)
		}
	}
}

// handle decides a batch in order and group-commits its changes. Anything
// that reads the state (attach, view) first flushes what is pending, so
// nobody ever sees an uncommitted change. It returns true when the room
// must stop.
func (r *room) handle(batch []any) (stop bool) {
	// What the batch queued for other nodes' connections goes out at its
	// end, each node's share at once (cluster_fan.go).
	defer r.own.handOff()
	for i, m := range batch {
		if r.broken {
			// Storing failed: the state is being thrown away, so what is
			// left of the batch is refused rather than decided on it.
			for _, rest := range batch[i:] {
				r.fail(rest, board.Errorf(board.CodeUnavailable, "the session is reloading; try again"))
			}
			break
		}
		switch m := m.(type) {
		case commandMsg:
			r.command(m)
		case joinMsg:
			r.join(m)
		case attachMsg:
			r.flush()
			r.attach(m)
		case detachMsg:
			r.detach(m.cl)
		case viewMsg:
			r.flush()
			r.view(m)
		case photosMsg:
			r.photosChanged(m)
		case roomFn:
			r.flush()
			m.fn(r)
		case clusterMsg:
			r.clusterMsg(m)
		case stopMsg:
			stop = true
		}
	}
	r.flush()
	if r.dirtyPresence {
		r.sendPresence()
	}
	if r.broken || stop {
		r.shutdown(stop)
		return true
	}
	return false
}

// participantByToken finds the live participant holding a token hash.
func (r *room) participantByToken(hash []byte) *board.Participant {
	id, ok := r.byToken[hex.EncodeToString(hash)]
	if !ok {
		return nil
	}
	p := r.st.Participants[id]
	if p == nil || p.Removed || !r.st.HoldsToken(p, hash) {
		return nil
	}
	return p
}

func (r *room) command(m commandMsg) {
	reply := func(frame []byte, code string) {
		if m.cl != nil {
			r.pushTo(m.cl, frame)
		} else {
			m.reply <- cmdReply{frame, code}
		}
	}
	var pid string
	if m.cl != nil {
		pid = m.cl.participantID
	} else if p := r.participantByToken(m.tokenHash); p != nil {
		pid = p.ID
		// The HTTP fallback learns who sent only here; a WebSocket's
		// reader took its token from the same limiter already.
		if !r.deps.commands.allow(pid, r.deps.now()) {
			reply(encodeError(m.cmd.Ref, board.CodeRateLimited, errTooFast), board.CodeRateLimited)
			return
		}
	} else {
		reply(encodeError(m.cmd.Ref, board.CodeUnauthorized, "unknown or removed participant"), board.CodeUnauthorized)
		return
	}
	key := board.RefKey(pid, m.cmd.Ref)
	if r.isPending(pid, m.cmd.Ref) {
		r.flush()
	}
	if ack, ok := r.refs[key]; ok {
		reply(encodeAck(m.cmd.Ref, ack), "")
		return
	}
	ch, err := r.st.Execute(pid, m.cmd, r.deps.now(), r.deps.newID)
	if err != nil {
		code, msg := safeError(r.log, err)
		reply(encodeError(m.cmd.Ref, code, msg), code)
		return
	}
	ref, created := m.cmd.Ref, ch.CreatedID
	r.addPending(pendingChange{ch: ch, done: func(seq int64, err error) {
		if err != nil {
			code, msg := safeError(r.log, err)
			reply(encodeError(ref, code, msg), code)
			return
		}
		reply(encodeAck(ref, board.Ack{Seq: seq, CreatedID: created}), "")
	}})
}

// isPending reports whether a change of participant pid with ref waits in
// the batch. It compares the parts rather than building each RefKey: a
// paste decides hundreds of commands per batch, and the concatenations
// were 5% of the server's CPU (docs/performance.md).
func (r *room) isPending(pid, ref string) bool {
	for _, p := range r.pending {
		if p.ch.Ref != "" && p.ch.Ref == ref && p.ch.Event.ActorID == pid {
			return true
		}
	}
	return false
}

func (r *room) join(m joinMsg) {
	// The code was looked up before this message queued; a rotation
	// committed in between must refuse it all the same.
	if m.code != r.st.Session.JoinCode {
		m.reply <- board.Errorf(board.CodeNotFound, "no session with this code")
		return
	}
	ch, err := r.st.Join(m.p)
	if err != nil {
		m.reply <- err
		return
	}
	hash := hex.EncodeToString(m.p.TokenHash)
	r.addPending(pendingChange{ch: ch, done: func(_ int64, err error) {
		if err == nil {
			r.byToken[hash] = m.p.ID
		}
		m.reply <- err
	}})
}

// addPending queues a decided change for the next flush. The first of a
// batch tells the store a Submit is coming, so that a commit about to be
// made for other rooms may wait for it (store/delay.go).
func (r *room) addPending(p pendingChange) {
	if len(r.pending) == 0 {
		r.deps.store.Expect(r.id)
	}
	r.pending = append(r.pending, p)
}

// flush stores the pending changes in one Submit (the store merges rooms'
// submits into one transaction), then acks and fans out each in seq order.
// If storing fails, nothing was applied for anyone: every sender gets an
// error, and the room stops so its state is reloaded from disk.
func (r *room) flush() {
	if len(r.pending) == 0 || r.broken {
		return
	}
	changes := make([]*board.Change, len(r.pending))
	for i, p := range r.pending {
		changes[i] = p.ch
	}
	ctx, cancel := context.WithTimeout(context.Background(), submitTimeout)
	first, err := r.deps.store.Submit(ctx, r.id, r.epoch, changes)
	cancel()
	pend := r.pending
	r.pending = nil
	r.notes = nil // the state moved on (or is thrown away): the welcomes' notes too
	if err != nil {
		r.log.Error("storing changes failed; reloading the room", "err", err, "changes", len(pend))
		r.broken = true
		fail := board.Errorf(board.CodeUnavailable, "the change could not be stored; try again")
		if be := (*board.Error)(nil); errors.As(err, &be) && be.Code == board.CodeUnavailable {
			fail = be
		}
		for _, p := range pend {
			p.done(0, fail)
		}
		return
	}
	r.holdWakes()
	defer r.sendHeld()
	for i, p := range pend {
		ev := &p.ch.Event
		ev.Seq = first + int64(i)
		r.st.Commit(ev.Seq)
		if p.ch.Ref != "" {
			r.refs[board.RefKey(ev.ActorID, p.ch.Ref)] = board.Ack{Seq: ev.Seq, CreatedID: p.ch.CreatedID}
		}
		r.remember(*ev)
		r.broadcast(ev)
		p.done(ev.Seq, nil)
		r.afterEvent(ev)
	}
}

// remember keeps at least the last replayInMemory events, contiguous for
// resume. It trims only when twice as many have gathered: shifting the
// whole window for every event once it was full cost a copy of ~80 KB per
// change in every busy room.
func (r *room) remember(ev board.Event) {
	if len(r.recent) >= 2*replayInMemory {
		n := copy(r.recent, r.recent[len(r.recent)-replayInMemory:])
		clear(r.recent[n:]) // let go of the dropped events' data
		r.recent = r.recent[:n]
	}
	r.recent = append(r.recent, ev)
}

// afterEvent keeps the clients in step with role changes and removals.
func (r *room) afterEvent(ev *board.Event) {
	switch d := ev.Data.(type) {
	case board.ParticipantData:
		for cl := range r.clients {
			if cl.participantID == d.Participant.ID {
				cl.viewer.Role = d.Participant.Role
			}
		}
		r.dirtyPresence = true
	case board.RemovedData:
		for cl := range r.clients {
			if cl.participantID == d.ID {
				cl.out.close(closeRemoved, "removed by the facilitator")
				r.detach(cl)
			}
		}
	case board.ClosedData:
		r.dirtyPresence = true
	case board.DeviceData:
		r.indexTokens()
	case board.MergedData:
		r.afterMerge(d)
	}
}

// shutdown closes every client: 1001 when the server stops, 1013 when the
// room broke (the clients reconnect and get the state from disk).
func (r *room) shutdown(stopping bool) {
	code, text := closeTryLater, "reloading"
	if stopping {
		code, text = closeGoingAway, "server shutting down"
	}
	r.deps.hub.remove(r)
	for cl := range r.clients {
		cl.out.close(code, text)
	}
	r.clients = map[*client]struct{}{}
	r.failAll(board.Errorf(board.CodeUnavailable, "the session is reloading; try again"))
}
