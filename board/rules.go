package board

import "time"

// who may send a command.
type who int

const (
	anyone      who = iota // every participant (per-object checks may narrow it)
	staff                  // facilitator and notulis
	facilitator            // facilitator only
)

// rule is the permission and phase rule of one command type: the single
// table the contract's command list is written from.
type rule struct {
	who   who
	phase Phase // "" = any phase
	// facilitatorAnyPhase lets the facilitator send it outside phase
	// (group.add: anyone in phase group, the facilitator always).
	facilitatorAnyPhase bool
}

var rules = map[string]rule{
	"note.add":            {who: anyone},
	"note.update":         {who: anyone},
	"note.move":           {who: anyone},
	"note.delete":         {who: anyone},
	"group.add":           {who: anyone, phase: PhaseGroup, facilitatorAnyPhase: true},
	"group.update":        {who: facilitator},
	"group.delete":        {who: facilitator},
	"vote.cast":           {who: anyone, phase: PhaseVote},
	"vote.retract":        {who: anyone, phase: PhaseVote},
	"usg.score":           {who: anyone, phase: PhaseVote},
	"link.add":            {who: anyone},
	"link.delete":         {who: anyone},
	"action.add":          {who: staff},
	"action.update":       {who: staff},
	"action.delete":       {who: staff},
	"record.set":          {who: staff},
	"participant.setRole": {who: facilitator},
	"participant.remove":  {who: facilitator},
	"phase.set":           {who: facilitator},
	"settings.update":     {who: facilitator},
	"notes.reveal":        {who: facilitator},
	"timer.start":         {who: facilitator},
	"timer.stop":          {who: facilitator},
	"spotlight.set":       {who: facilitator},
	"column.add":          {who: facilitator},
	"column.update":       {who: facilitator},
	"column.delete":       {who: facilitator},
	"session.close":       {who: facilitator},
	"session.rotateCode":  {who: facilitator},
}

// handler validates a command against the state and, only if it is
// accepted, applies it. It must not touch the state before it has decided.
type handler func(x *exec) (name string, data any, err error)

var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"note.add": noteAdd, "note.update": noteUpdate, "note.move": noteMove, "note.delete": noteDelete,
		"group.add": groupAdd, "group.update": groupUpdate, "group.delete": groupDelete,
		"vote.cast": voteCast, "vote.retract": voteRetract, "usg.score": usgScore,
		"link.add": linkAdd, "link.delete": linkDelete,
		"action.add": actionAdd, "action.update": actionUpdate, "action.delete": actionDelete,
		"record.set": recordSet, "participant.setRole": participantSetRole, "participant.remove": participantRemove,
		"phase.set": phaseSet, "settings.update": settingsUpdate, "notes.reveal": notesReveal,
		"timer.start": timerStart, "timer.stop": timerStop, "spotlight.set": spotlightSet,
		"column.add": columnAdd, "column.update": columnUpdate, "column.delete": columnDelete,
		"session.close": sessionClose, "session.rotateCode": sessionRotateCode,
	}
}

// exec is one command being decided.
type exec struct {
	s       *State
	actor   *Participant
	cmd     Command
	now     time.Time
	newID   func() string
	created string
}

func (x *exec) isFacilitator() bool { return x.actor.Role == RoleFacilitator }

// Allowed answers, without touching the state, whether the actor may send
// this command type now, by role, lock and phase. Execute calls it first;
// the page asks the same through the snapshot's phase and role.
func (s *State) Allowed(actor *Participant, typ string) error {
	r, ok := rules[typ]
	if !ok {
		return Errorf(CodeInvalid, "unknown command type")
	}
	if s.Session.Closed {
		return Errorf(CodeClosed, "the session is closed")
	}
	switch r.who {
	case facilitator:
		if actor.Role != RoleFacilitator {
			return Errorf(CodeForbidden, "only the facilitator may do this")
		}
	case staff:
		if actor.Role != RoleFacilitator && actor.Role != RoleNotulis {
			return Errorf(CodeForbidden, "only the facilitator or the notulis may do this")
		}
	}
	// The lock freezes the board for participants; the notulis keeps
	// writing minutes (records, actions), which are staff work.
	if s.Session.Settings.Locked && actor.Role != RoleFacilitator && r.who != staff {
		return Errorf(CodeLocked, "the board is locked")
	}
	if r.phase != "" && s.Session.Phase != r.phase && !(r.facilitatorAnyPhase && actor.Role == RoleFacilitator) {
		return Errorf(CodeWrongPhase, "not allowed in phase %s", s.Session.Phase)
	}
	return nil
}

// Execute decides a command from a participant and, if it is accepted,
// applies it to the state and returns the change to store. A refused
// command changes nothing. The caller stores the change before anyone sees
// it, and throws the whole State away if storing fails.
func (s *State) Execute(actorID string, cmd Command, now time.Time, newID func() string) (*Change, error) {
	actor := s.Participants[actorID]
	if actor == nil || actor.Removed {
		return nil, Errorf(CodeUnauthorized, "unknown participant")
	}
	if err := s.Allowed(actor, cmd.Type); err != nil {
		return nil, err
	}
	x := &exec{s: s, actor: actor, cmd: cmd, now: now.UTC(), newID: newID}
	name, data, err := handlers[cmd.Type](x)
	if err != nil {
		s.pending = nil // handlers decide before they mutate; nothing to keep
		return nil, err
	}
	return s.change(name, data, actor.ID, x.now, cmd.Ref, x.created), nil
}

func (s *State) change(name string, data any, actorID string, now time.Time, ref, created string) *Change {
	return &Change{
		Event:         Event{Name: name, Data: data, ActorID: actorID, At: now},
		Puts:          s.takePending(),
		Ref:           ref,
		ParticipantID: actorID,
		CreatedID:     created,
	}
}

// Join adds a participant (attendance is recorded by the participant row
// and its event). The store gives the event its seq like any other change.
func (s *State) Join(p Participant) (*Change, error) {
	if s.Session.Closed {
		return nil, Errorf(CodeClosed, "the session is closed")
	}
	if s.Session.Settings.JoiningClosed {
		return nil, Errorf(CodeJoiningClosed, "the facilitator has closed joining for this session")
	}
	// Removed people have no seat: a facilitator who removes a flood of
	// joins gets the room back.
	seated := 0
	for _, q := range s.Participants {
		if !q.Removed {
			seated++
		}
	}
	if seated >= MaxParticipants {
		return nil, Errorf(CodeConflict, "the session is full (%d participants)", MaxParticipants)
	}
	cp := p
	s.putParticipant(&cp)
	return s.change("participant.joined", ParticipantData{Participant: cp}, p.ID, p.JoinedAt, "", p.ID), nil
}

// Commit records that a change was stored with seq.
func (s *State) Commit(seq int64) { s.Seq = seq }

// MayReadMinutes decides who downloads the minutes: the facilitator and the
// notulis. It lives here with the command table so the HTTP handler only asks.
func MayReadMinutes(p *Participant) error {
	if p.Role != RoleFacilitator && p.Role != RoleNotulis {
		return Errorf(CodeForbidden, "only the facilitator or the notulis may download the minutes")
	}
	return nil
}

// MayDeleteSession decides who deletes a session and all its data: the
// facilitator alone.
func MayDeleteSession(p *Participant) error {
	if p.Role != RoleFacilitator {
		return Errorf(CodeForbidden, "only the facilitator may delete the session")
	}
	return nil
}
