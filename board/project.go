package board

// Events as each viewer receives them: the projection class of an event
// for a viewer (ClassKey, the key under which one encoding serves every
// viewer of the class), whether a resume may replay a gap (Replayable), and
// the projection itself (Project). The rules they apply are view.go's.

// Class is what decides the bytes of one event for one viewer: viewers of
// the same Class get the same encoding, so the server encodes an event
// once per class, not once per connection. Events that carry every note are
// projected per viewer (PerViewer set).
type Class struct {
	Text, Author, Unit, Actor, Self bool
	// Personal: v may see a participant's signature and NIP (MaySeePersonal).
	Personal bool
	// Withheld: the team's results v is denied (ResultsHidden).
	Withheld  Withheld
	PerViewer Viewer
}

// classOf returns the class of viewer v for event ev: its visibility
// (classBase) and the team's results v is denied, which any event may carry.
func (s *State) classOf(ev *Event, v Viewer) Class {
	c := s.classBase(ev, v)
	c.Withheld = s.withheldFor(v)
	return c
}

// classBase returns what of ev's notes, authors and actor v may see.
func (s *State) classBase(ev *Event, v Viewer) Class {
	switch d := ev.Data.(type) {
	case NoteData:
		return Class{Text: s.CanRead(&d.Note, v), Author: s.CanSeeAuthor(&d.Note, v), Unit: s.CanSeeUnit(&d.Note, v),
			Actor: s.actorVisible(ev, v, &d.Note)}
	case NotesData:
		if d.Notes != nil {
			return Class{PerViewer: v, Actor: true}
		}
	case ParticipantData:
		personal := MaySeePersonal(d.Participant.ID, v)
		if everyNote(ev) != nil {
			return Class{PerViewer: v, Personal: personal, Actor: s.actorVisible(ev, v, nil)}
		}
		return Class{Personal: personal, Actor: s.actorVisible(ev, v, nil)}
	case RemovedData:
		if everyNote(ev) != nil {
			return Class{PerViewer: v, Actor: s.actorVisible(ev, v, nil)}
		}
	case MergedData:
		return Class{PerViewer: v, Personal: MaySeePersonal(d.IntoID, v), Actor: s.actorVisible(ev, v, nil)}
	case DeviceData:
		personal := MaySeePersonal(d.ParticipantID, v)
		return Class{Personal: personal, Actor: personal}
	case VoteData:
		// Who voted on a note v may not read is not v's to know either.
		return Class{Self: d.Voter == v.ID, Actor: s.actorVisible(ev, v, nil) && s.actorOn(ev, v, d.TargetID)}
	case USGData:
		return Class{Self: d.Scorer == v.ID, Actor: s.actorVisible(ev, v, nil) && s.actorOn(ev, v, d.TargetID)}
	case APKLData:
		return Class{Self: d.Rater == v.ID, Actor: s.actorVisible(ev, v, nil) && s.actorOn(ev, v, d.TargetID)}
	case LinkData:
		return Class{Actor: s.actorVisible(ev, v, nil) && s.actorOn(ev, v, d.Link.FromID, d.Link.ToID)}
	case CodeData:
		return Class{Text: MayReadJoinCode(v), Actor: s.actorVisible(ev, v, nil)}
	case IDData:
		// The actor of a note.deleted is most often the note's author, and
		// the note (with its author and flag) is gone by the time this is
		// projected: while notes may be private or anonymous, or when the
		// note itself was anonymous, that actor reaches only itself (and,
		// private but not anonymous, the facilitator, who may read every
		// author anyway).
		if ev.Name == "note.deleted" && ev.ActorID != v.ID {
			st := s.Session.Settings
			if st.Anonymous || d.Anonymous || st.PrivateBrainstorm && v.Role != RoleFacilitator {
				return Class{}
			}
		}
	}
	return Class{Actor: s.actorVisible(ev, v, nil)}
}

// ClassKey returns the projection class of ev for viewer v: the key under
// which the server keeps one encoding of ev for every viewer who gets the
// same bytes. Live fan-out and resume replays both ask it; it is the one
// call that turns (event, viewer) into what that viewer may see.
func (s *State) ClassKey(ev *Event, v Viewer) Class { return s.shared(ev, s.classOf(ev, v)) }

// Replayable reports whether a resuming viewer may be sent the events of a
// gap one by one. A gap that holds an event which changed what viewers may
// read (a reveal, a switch of privacy) may not: events before it would be
// projected with today's visibility and could show a note's draft text from
// before the reveal, so such a gap gets the full board instead.
func Replayable(evs []Event) bool {
	for i := range evs {
		if everyNote(&evs[i]) != nil {
			return false
		}
	}
	return true
}

// shared returns a class that projects ev to exactly the bytes c does and
// that every viewer who would get those bytes shares: the key under which
// the server keeps one encoding. Only events carrying every note differ
// from c (classOf makes them per viewer), and most viewers of those see the
// same bytes.
func (s *State) shared(ev *Event, c Class) Class {
	if notes := everyNote(ev); notes != nil {
		c.PerViewer = s.notesViewer(notes, c.PerViewer)
	}
	return c
}

// notesViewer returns who an event carrying every note is projected for
// on behalf of v: v itself when v's own authorship changes what v sees of
// some note (its private unrevealed notes, or any of its notes while
// anonymous); otherwise a nameless viewer of v's role (facilitator only
// while a private note is unrevealed, else participant), so that every
// such viewer shares one encoding. For a note v did not write, v sees
// exactly what the nameless viewer of its role sees: CanRead and
// CanSeeAuthor compare the viewer's ID only with the note's author.
func (s *State) notesViewer(notes []Note, v Viewer) Viewer {
	hidden := false // a note the facilitator reads and others do not
	nameless := Viewer{Role: v.Role}
	for i := range notes {
		n := &notes[i]
		if n.AuthorID == "" {
			return v
		}
		if n.AuthorID == v.ID && (s.anonymous(n) || s.CanRead(n, v) != s.CanRead(n, nameless)) {
			return v
		}
		// Asked of CanRead itself, not of today's settings: a replay of
		// an old event may carry a note deleted while private, which only
		// its author and the facilitator read even after the private
		// round ended (view.go exists).
		if !hidden && v.Role == RoleFacilitator && !s.CanRead(n, Viewer{Role: RoleParticipant}) {
			hidden = true
		}
	}
	if hidden {
		return Viewer{Role: RoleFacilitator}
	}
	return Viewer{Role: RoleParticipant}
}

// OutEvent is an event frame as a viewer receives it.
type OutEvent struct {
	Type    string  `json:"type"`
	Seq     int64   `json:"seq"`
	Event   string  `json:"event"`
	Data    any     `json:"data"`
	ActorID *string `json:"actorId"`
}

// Project returns ev as viewers of class c receive it.
func (s *State) Project(ev *Event, c Class) OutEvent {
	out := OutEvent{Type: "event", Seq: ev.Seq, Event: ev.Name}
	if c.Actor {
		out.ActorID = orNull(ev.ActorID)
	}
	switch d := ev.Data.(type) {
	case NoteData:
		out.Data = map[string]any{"note": s.noteView(&d.Note, c.Text, c.Author, c.Unit, c.Withheld, s.units(), nil)}
	case NotesData:
		m := map[string]any{"revealed": d.Revealed}
		if d.Settings != nil {
			m["settings"] = d.Settings
		}
		if d.Notes != nil {
			m["notes"] = s.notesFor(d.Notes, c.PerViewer, c.Withheld)
		}
		if d.Groups != nil {
			m["groups"] = s.groupsFor(d.Groups, c.Withheld)
		}
		if d.APKL != nil && !c.Withheld.APKL {
			m["apkl"] = d.APKL
		}
		out.Data = m
	case PhaseData:
		m := map[string]any{"phase": d.Phase}
		if d.Notes != nil {
			m["notes"] = s.notesFor(d.Notes, c.PerViewer, c.Withheld)
			m["groups"] = s.groupsFor(d.Groups, c.Withheld)
			if !c.Withheld.APKL {
				m["apkl"] = d.APKL
			}
		}
		out.Data = m
	case GroupData:
		g := d.Group
		if c.Withheld.Totals {
			g.Votes, g.USG = 0, USG{}
		}
		out.Data = GroupData{Group: g, NoteIDs: d.NoteIDs}
	case VoteData:
		votes := d.Votes
		if c.Withheld.Totals {
			votes = 0
		}
		m := map[string]any{"targetId": d.TargetID, "votes": votes}
		if c.Self {
			m["myVotes"] = d.VoterVotes
		}
		out.Data = m
	case USGData:
		m := map[string]any{"targetId": d.TargetID, "usg": d.USG, "usgByUnit": append([]UnitUSG{}, s.unitUSG(d.TargetID, s.units())...)}
		if c.Withheld.Totals {
			m["usg"], m["usgByUnit"] = USG{}, []UnitUSG{}
		}
		if c.Self {
			m["myUsg"] = map[string]int{"u": d.Score.U, "s": d.Score.S, "g": d.Score.G}
		}
		out.Data = m
	case APKLData:
		m := map[string]any{"targetId": d.TargetID, "apkl": d.APKL}
		if c.Withheld.APKL {
			m["apkl"] = nil
		}
		if c.Self {
			r := d.Rating
			m["myApkl"] = map[string]int{"a": r.A, "p": r.P, "k": r.K, "l": r.L}
		}
		out.Data = m
	case RecordData:
		out.Data = map[string]any{"record": recordView(&d.Record)}
	case ActionData:
		out.Data = map[string]any{"action": actionView(&d.Action)}
	case ParticipantData:
		m := map[string]any{"participant": participantView(&d.Participant, false, c.Personal)}
		if d.Notes != nil {
			m["notes"] = s.notesFor(d.Notes, c.PerViewer, c.Withheld)
		}
		out.Data = m
	case RemovedData:
		m := map[string]any{"id": d.ID}
		if d.Notes != nil {
			m["notes"] = s.notesFor(d.Notes, c.PerViewer, c.Withheld)
		}
		out.Data = m
	case MergedData:
		m := map[string]any{"id": d.ID, "intoId": d.IntoID,
			"participant": participantView(&d.Participant, false, c.Personal),
			"notes":       s.notesFor(d.Notes, c.PerViewer, c.Withheld), "groups": s.groupsFor(d.Groups, c.Withheld)}
		if c.Personal {
			m["votesDropped"] = d.VotesDropped // the survivor's own business
		}
		out.Data = m
	case DeviceData:
		m := map[string]any{}
		if c.Personal {
			m["participantId"] = d.ParticipantID
		}
		out.Data = m
	case IDData:
		out.Data = IDData{ID: d.ID} // the anonymous flag stays in the log
	case CodeData:
		out.Data = map[string]any{"joinCode": nil}
		if c.Text {
			out.Data = d
		}
	default:
		out.Data = d
	}
	return out
}
