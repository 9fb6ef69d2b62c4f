package server

import (
	"context"
	"encoding/json"

	"rembuk/board"
)

// attach authenticates a client and sends its welcome: the events it missed
// when they are at hand, else the full board.
func (r *room) attach(m attachMsg) {
	p := r.participantByToken(m.tokenHash)
	if p == nil {
		m.reply <- board.Errorf(board.CodeUnauthorized, "unknown or removed participant")
		return
	}
	cl := m.cl
	cl.participantID = p.ID
	cl.viewer = board.ViewerOf(p)
	if r.online[p.ID] >= maxPerParticipant {
		r.evictOldest(p.ID)
	}
	r.attachSeq++
	cl.attached = r.attachSeq
	r.online[p.ID]++
	if !m.resume || !r.resumeEvents(cl, m.since) {
		w := r.welcome(cl.viewer, m.since)
		if n := w.size(); m.progress && n >= bulkFrameBytes {
			r.pushTo(cl, encode(loadingFrame{Type: "loading", Bytes: n}))
		}
		r.pushFrameTo(cl, w)
	}
	r.clients[cl] = struct{}{}
	if r.online[p.ID] == 1 {
		r.dirtyPresence = true
	} else {
		// A second tab still needs the list.
		r.pushTo(cl, r.presence())
	}
	if cl.viewer.Role == board.RoleFacilitator && r.rejoins != nil {
		if l := r.rejoinList(); len(l) > 0 {
			r.pushTo(cl, encode(rejoinFrame{Type: "rejoin", Requests: l}))
		}
	}
	m.reply <- nil
}

func (r *room) detach(cl *client) {
	if _, ok := r.clients[cl]; !ok {
		return
	}
	delete(r.clients, cl)
	r.online[cl.participantID]--
	if r.online[cl.participantID] <= 0 {
		delete(r.online, cl.participantID)
		r.dirtyPresence = true
	}
}

func (r *room) isOnline(id string) bool { return r.online[id] > 0 }

// welcome builds the first frame for a viewer.
func (r *room) welcome(v board.Viewer, since *int64) frame {
	if since != nil && *since >= 0 && *since <= r.st.Seq {
		if evs, ok := r.eventsSince(*since); ok && board.Replayable(evs) {
			raw := make([]json.RawMessage, len(evs))
			for i := range evs {
				raw[i] = encode(r.st.Project(&evs[i], r.st.ClassKey(&evs[i], v)))
			}
			return frame{b: encode(welcomeEvents{Type: "welcome", Seq: r.st.Seq, Events: raw, Rules: board.CommandRules()})}
		}
	}
	return r.welcomeBoardFrame(v)
}

// eventsSince returns the events after seq from memory or the log, or false
// when the gap is too large (the client then gets the full board).
func (r *room) eventsSince(since int64) ([]board.Event, bool) {
	n := r.st.Seq - since
	if n == 0 {
		return nil, true
	}
	if len(r.recent) > 0 && r.recent[0].Seq <= since+1 {
		start := int(since + 1 - r.recent[0].Seq)
		return r.recent[start:], true
	}
	if n > replayFromLog {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), submitTimeout)
	defer cancel()
	evs, err := r.deps.store.EventsSince(ctx, r.id, since, int(n))
	if err != nil || int64(len(evs)) != n {
		if err != nil {
			r.log.Error("reading the event log", "err", err)
		}
		return nil, false
	}
	return evs, true
}

// broadcast projects an event once per visibility class and pushes the same
// bytes to every client of that class.
func (r *room) broadcast(ev *board.Event) {
	var cache map[board.Class][]byte
	var lastClass board.Class
	var lastFrame []byte
	var own *ownNotes
	for cl := range r.clients {
		c := r.st.ClassKey(ev, cl.viewer)
		if c.PerViewer.ID != "" {
			// Every note, projected for this viewer alone (its own notes
			// while anonymous): shared runs and its own notes (welcome.go).
			if own == nil {
				own = &ownNotes{classes: map[board.Role]*classNotes{}, frames: map[board.Viewer]frame{}}
			}
			r.pushFrameTo(cl, r.ownNotesEvent(ev, c, own))
			continue
		}
		frame := lastFrame
		if frame == nil || c != lastClass {
			if cache == nil {
				cache = make(map[board.Class][]byte, 4)
			}
			if f, ok := cache[c]; ok {
				frame = f
			} else {
				frame = encode(r.st.Project(ev, c))
				cache[c] = frame
			}
			lastClass, lastFrame = c, frame
		}
		r.pushTo(cl, frame)
	}
}

// pushTo queues a frame; a client whose queue is full is dropped (it
// reconnects and resumes from the log).
func (r *room) pushTo(cl *client, b []byte) { r.pushFrameTo(cl, frame{b: b}) }

// pushFrameTo is pushTo for a frame in parts (a welcome).
func (r *room) pushFrameTo(cl *client, f frame) {
	var ok bool
	if r.wr.holding {
		if ok = cl.out.pushQuiet(f); ok && !cl.held {
			cl.held = true
			r.wr.held = append(r.wr.held, cl)
		}
	} else {
		ok = cl.out.pushFrame(f)
	}
	if !ok {
		if _, ok := r.clients[cl]; ok {
			r.log.Warn("dropping a slow client", "participant", cl.participantID)
			r.detach(cl)
		}
	}
}

func (r *room) presence() []byte {
	ps := r.st.SortedParticipants()
	f := presenceFrame{Type: "presence", Participants: make([]presenceEntry, 0, len(ps))}
	for _, p := range ps {
		if !p.Removed {
			f.Participants = append(f.Participants, presenceEntry{ID: p.ID, Name: p.Name, Online: r.isOnline(p.ID)})
		}
	}
	return encode(f)
}

func (r *room) sendPresence() {
	r.dirtyPresence = false
	frame := r.presence()
	for cl := range r.clients {
		r.pushTo(cl, frame)
	}
}

// view runs a read on the committed state as the token's participant
// (the HTTP board, the minutes).
func (r *room) view(m viewMsg) {
	p := r.participantByToken(m.tokenHash)
	if p == nil {
		m.reply <- board.Errorf(board.CodeUnauthorized, "unknown or removed participant")
		return
	}
	m.reply <- m.fn(r.st, p, r.isOnline)
}
