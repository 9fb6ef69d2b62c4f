package board

import "time"

// who may send a command.
type who int

const (
	anyone      who = iota // every participant (per-object checks may narrow it)
	staff                  // facilitator and notulis
	facilitator            // facilitator only
)

// command is one entry of the command table: who may send it, in which
// phase, and the handler that decides and applies it. The contract's command
// list, the page's permissions (CommandRules) and the decoder all read this
// one table; adding a command is one entry plus its handler.
type command struct {
	who   who
	phase Phase // "" = any phase
	// facilitatorAnyPhase lets the facilitator send it outside phase
	// (group.add: anyone in phase group, the facilitator always).
	facilitatorAnyPhase bool
	// lockExempt lets participants send it under the lock (signing the
	// attendance list is typically done after the facilitator locked the board).
	lockExempt bool
	// team widens a staff command to every participant of a monitoring
	// session (TemplateMonitoring), where the people in charge report on
	// their own actions; the lock still holds participants back.
	team bool
	do   handler
}

// handler validates a command against the state and, only if it is
// accepted, applies it. It must not touch the state before it has decided.
type handler func(x *exec) (name string, data any, err error)

// commands is the command table.
var commands = map[string]command{
	"note.add":      {who: anyone, do: noteAdd},
	"note.update":   {who: anyone, do: noteUpdate},
	"note.move":     {who: anyone, do: noteMove},
	"note.delete":   {who: anyone, do: noteDelete},
	"group.add":     {who: anyone, phase: PhaseGroup, facilitatorAnyPhase: true, do: groupAdd},
	"group.update":  {who: facilitator, do: groupUpdate},
	"group.delete":  {who: facilitator, do: groupDelete},
	"vote.cast":     {who: anyone, phase: PhaseVote, do: voteCast},
	"vote.retract":  {who: anyone, phase: PhaseVote, do: voteRetract},
	"usg.score":     {who: anyone, phase: PhaseVote, do: usgScore},
	"link.add":      {who: anyone, do: linkAdd},
	"link.delete":   {who: anyone, do: linkDelete},
	"action.add":    {who: staff, do: actionAdd},
	"action.update": {who: staff, do: actionUpdate},
	"action.delete": {who: staff, do: actionDelete},
	// Progress on an action (register.go): staff anywhere; in a
	// monitoring session the whole team.
	"action.progress":     {who: staff, team: true, do: actionProgress},
	"record.set":          {who: staff, do: recordSet},
	"participant.setRole": {who: facilitator, do: participantSetRole},
	"participant.remove":  {who: facilitator, do: participantRemove},
	"phase.set":           {who: facilitator, do: phaseSet},
	"settings.update":     {who: facilitator, do: settingsUpdate},
	"notes.reveal":        {who: facilitator, do: notesReveal},
	"timer.start":         {who: facilitator, do: timerStart},
	"timer.stop":          {who: facilitator, do: timerStop},
	"spotlight.set":       {who: facilitator, do: spotlightSet},
	"column.add":          {who: facilitator, do: columnAdd},
	"column.update":       {who: facilitator, do: columnUpdate},
	"column.delete":       {who: facilitator, do: columnDelete},
	"session.close":       {who: facilitator, do: sessionClose},
	"session.rotateCode":  {who: facilitator, do: sessionRotateCode},
	"apkl.score":          {who: anyone, phase: PhaseScreen, do: apklScore},
	"participant.sign":    {who: anyone, lockExempt: true, do: participantSign},
	"participant.update":  {who: anyone, lockExempt: true, do: participantUpdate},
	"attendance.request":  {who: facilitator, do: attendanceRequest},
	"invitation.set":      {who: facilitator, do: invitationSet},
	"participant.merge":   {who: facilitator, do: participantMerge},
}

// IsCommandType reports whether t names a command.
func IsCommandType(t string) bool {
	_, ok := commands[t]
	return ok
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
	r, ok := commands[typ]
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
		if actor.Role != RoleFacilitator && actor.Role != RoleNotulis && !(r.team && s.Session.Template == TemplateMonitoring) {
			return Errorf(CodeForbidden, "only the facilitator or the notulis may do this")
		}
	}
	// The lock freezes the board for participants; the notulis keeps
	// writing minutes (records, actions), which are staff work.
	if s.Session.Settings.Locked && actor.Role != RoleFacilitator && !(r.who == staff && actor.Role == RoleNotulis) && !r.lockExempt {
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
	name, data, err := commands[cmd.Type].do(x)
	if err != nil {
		s.pending = nil // handlers decide before they mutate; nothing to keep
		return nil, err
	}
	return s.change(name, data, actor.ID, x.now, cmd.Ref, x.created), nil
}

func (s *State) change(name string, data any, actorID string, now time.Time, ref, created string) *Change {
	return &Change{
		Event:     Event{Name: name, Data: data, ActorID: actorID, At: now},
		Puts:      s.takePending(),
		Ref:       ref,
		CreatedID: created,
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
	before := s.unitSig()
	cp := p
	s.putParticipant(&cp)
	d := ParticipantData{Participant: cp}
	if s.unitShifted(before) {
		d.Notes = s.noteValues()
	}
	return s.change("participant.joined", d, p.ID, p.JoinedAt, "", p.ID), nil
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

// CommandRule is one command's rule as the page sees it: the snapshot
// carries the table so the page shows only the controls the server would
// accept, without keeping a copy of this file.
type CommandRule struct {
	Roles               []Role `json:"roles"`
	Phase               Phase  `json:"phase,omitempty"`
	FacilitatorAnyPhase bool   `json:"facilitatorAnyPhase,omitempty"`
	// LockExempt: staff work (records, actions) goes on under the lock.
	LockExempt bool `json:"lockExempt,omitempty"`
	// MonitoringTeam: in a monitoring session every participant may send
	// it too (action.progress).
	MonitoringTeam bool `json:"monitoringTeam,omitempty"`
}

// CommandRules returns the command table's rules by command name. Per-object
// checks (only a note's author edits it) stay in the handlers.
func CommandRules() map[string]CommandRule {
	out := make(map[string]CommandRule, len(commands))
	for name, c := range commands {
		r := CommandRule{Phase: c.phase, FacilitatorAnyPhase: c.facilitatorAnyPhase, LockExempt: c.who == staff || c.lockExempt, MonitoringTeam: c.team}
		switch c.who {
		case anyone:
			r.Roles = []Role{RoleFacilitator, RoleNotulis, RoleParticipant}
		case staff:
			r.Roles = []Role{RoleFacilitator, RoleNotulis}
		case facilitator:
			r.Roles = []Role{RoleFacilitator}
		}
		out[name] = r
	}
	return out
}
