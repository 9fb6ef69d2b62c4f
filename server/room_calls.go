package server

// The room's messages and entry points: every handler reaches a session's
// room through one of these hub methods (in a cluster, hub.send forwards
// them to the node that owns the session, cluster.go). Each answers with
// one error: the room's refusal, or why the room could not be asked
// (shutting down, busy, no such session).

import (
	"context"
	"time"

	"rembuk/board"
)

// Messages a room takes.
type (
	attachMsg struct {
		tokenHash []byte
		since     *int64
		progress  bool // announce a big welcome with a loading frame
		resume    bool // a live connection moving rooms: events one by one, no welcome (cluster_room.go)
		cl        *client
		reply     chan error
	}
	detachMsg  struct{ cl *client }
	commandMsg struct {
		cl        *client // nil for the HTTP fallback
		tokenHash []byte  // used when cl is nil
		cmd       board.Command
		reply     chan cmdReply // for the HTTP fallback
	}
	// cmdReply is the answer to an HTTP command: the frame and its code
	// ("" for an ack).
	cmdReply struct {
		frame []byte
		code  string
	}
	joinMsg struct {
		p     board.Participant
		code  string // the code the person typed, checked again here
		reply chan error
	}
	// viewMsg runs fn on the committed state as the token's participant.
	viewMsg struct {
		tokenHash []byte
		fn        viewFunc
		reply     chan error
	}
	stopMsg struct{}
)

// viewFunc reads the committed state as participant p; online tells who is
// connected now.
type viewFunc func(st *board.State, p *board.Participant, online func(id string) bool) error

// failAll answers everything waiting in the inbox with err.
func (r *room) failAll(err error) {
	for {
		select {
		case m := <-r.inbox:
			r.fail(m, err)
		default:
			return
		}
	}
}

// fail answers a message the room cannot serve.
func (r *room) fail(m any, err error) {
	if fn, ok := m.(roomFn); ok {
		// Its handler answers err through writeError, which logs what is
		// internal; a session another node owns (remoteRoomError) is
		// forwarded there, not an error.
		fn.fail(err)
		return
	}
	code, msg := safeError(r.log, err)
	switch m := m.(type) {
	case attachMsg:
		m.reply <- err
	case commandMsg:
		if m.cl != nil {
			r.pushTo(m.cl, encodeError(m.cmd.Ref, code, msg))
		} else {
			m.reply <- cmdReply{encodeError(m.cmd.Ref, code, msg), code}
		}
	case joinMsg:
		m.reply <- err
	case viewMsg:
		m.reply <- err
	case clusterMsg:
		if m.reply != nil {
			m.reply <- err
		}
	}
}

// detachTimeout bounds telling a room that a connection ended.
const detachTimeout = time.Second

// attach adds a connection's client to the session's room, which sends it
// its welcome.
func (h *hub) attach(ctx context.Context, id string, m attachMsg) error {
	m.reply = make(chan error, 1)
	return h.call(ctx, id, m, m.reply)
}

// detach tells the room a connection ended (best effort: a room that is
// gone has forgotten the client already).
func (h *hub) detach(id string, cl *client) {
	ctx, cancel := context.WithTimeout(context.Background(), detachTimeout)
	defer cancel()
	h.send(ctx, id, detachMsg{cl: cl})
}

// command hands a socket's command to the room; the ack or error goes to
// the client's outbox.
func (h *hub) command(id string, cl *client, cmd board.Command, within time.Duration) error {
	m := commandMsg{cl: cl, cmd: cmd}
	if h.deps.cluster == nil && h.trySendLocal(id, m) {
		return nil
	}
	// A full inbox, a room still loading, or the hop to the owner: only
	// then a deadline (a context and its timer for every command was a
	// tenth of the read path's allocations).
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	return h.send(ctx, id, m)
}

// commandHTTP is command for the HTTP fallback: the sender is the token's
// participant, and the answer (ack or error frame) comes back here.
func (h *hub) commandHTTP(ctx context.Context, id string, tokenHash []byte, cmd board.Command) (cmdReply, error) {
	reply := make(chan cmdReply, 1)
	return ask(ctx, h, id, commandMsg{tokenHash: tokenHash, cmd: cmd, reply: reply}, reply)
}

// join seats a new participant; code is the join code the person typed,
// checked again in the room.
func (h *hub) join(ctx context.Context, id string, p board.Participant, code string) error {
	reply := make(chan error, 1)
	return h.call(ctx, id, joinMsg{p: p, code: code, reply: reply}, reply)
}

// view runs fn on the committed state as the token's participant.
func (h *hub) view(ctx context.Context, id string, tokenHash []byte, fn viewFunc) error {
	reply := make(chan error, 1)
	return h.call(ctx, id, viewMsg{tokenHash: tokenHash, fn: fn, reply: reply}, reply)
}

// photos tells the room the session now has count photos.
func (h *hub) photos(ctx context.Context, id string, count int) error {
	return h.send(ctx, id, photosMsg{count: count})
}

// stop unloads the session's room (the session was deleted): it closes
// its clients.
func (h *hub) stop(ctx context.Context, id string) error {
	return h.send(ctx, id, stopMsg{})
}

// call is ask for a message whose answer is an error: the room's refusal
// and the failure to reach it come back as one.
func (h *hub) call(ctx context.Context, id string, m any, reply chan error) error {
	return oneError(ask(ctx, h, id, m, reply))
}

// callLocal is call on this node's room only (the owner's side of a
// forwarded request, cluster_owner.go).
func (h *hub) callLocal(ctx context.Context, id string, m any, reply chan error) error {
	return oneError(askLocal(ctx, h, id, m, reply))
}

// oneError is why the room could not be asked, else the room's answer.
func oneError(refusal, err error) error {
	if err != nil {
		return err
	}
	return refusal
}

// ask sends a message with a reply channel (through the cluster to the
// session's owner, when there is one) and waits for the answer.
func ask[T any](ctx context.Context, h *hub, id string, m any, reply chan T) (T, error) {
	return await(ctx, h.send(ctx, id, m), reply)
}

// askLocal is ask on this node's room only.
func askLocal[T any](ctx context.Context, h *hub, id string, m any, reply chan T) (T, error) {
	return await(ctx, h.sendLocal(ctx, id, m), reply)
}

// await waits for the answer to a message whose sending gave sendErr.
func await[T any](ctx context.Context, sendErr error, reply chan T) (T, error) {
	var zero T
	if sendErr != nil {
		return zero, sendErr
	}
	select {
	case v := <-reply:
		return v, nil
	case <-ctx.Done():
		return zero, board.Errorf(board.CodeUnavailable, "the session did not answer in time")
	}
}
