package server

import (
	"rembuk/board"
)

// clusterMsg is what the cluster asks of a room it owns.
type clusterMsg struct {
	kind  int
	reply chan error
}

const (
	clusterProbe = iota + 1 // answer once loaded: this node owns the session now
	clusterFence            // the lease is gone: stop, clients get 1013
)

func (r *room) clusterMsg(m clusterMsg) {
	switch m.kind {
	case clusterProbe:
		m.reply <- nil
	case clusterFence:
		r.log.Warn("the session's lease is gone: stopping the room")
		r.broken = true
	}
}

// resumeEvents sends a client that stays connected (its node lost the
// owner it was attached to) the events after since one by one, as it
// would have received them live; false when they are not at hand (it
// gets a full welcome instead).
func (r *room) resumeEvents(cl *client, since *int64) bool {
	if since == nil || *since < 0 || *since > r.st.Seq {
		return false
	}
	evs, ok := r.eventsSince(*since)
	if !ok || !board.Replayable(evs) {
		return false
	}
	for i := range evs {
		r.pushTo(cl, encode(r.st.Project(&evs[i], r.st.ClassKey(&evs[i], cl.viewer))))
	}
	return true
}
