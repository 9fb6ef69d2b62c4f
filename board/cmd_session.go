package board

import "time"

// Facilitator commands on the session, its people and its columns.

func (x *exec) participant(id string) (*Participant, error) {
	p, ok := x.s.Participants[id]
	if !ok || p.Removed {
		return nil, Errorf(CodeNotFound, "participant not found")
	}
	if p.Role == RoleFacilitator {
		return nil, Errorf(CodeForbidden, "the facilitator's role cannot be changed")
	}
	return p, nil
}

func participantSetRole(x *exec) (string, any, error) {
	p, err := x.participant(x.cmd.ID)
	if err != nil {
		return "", nil, err
	}
	r := Role(x.cmd.Role)
	if r != RoleNotulis && r != RoleParticipant {
		return "", nil, Errorf(CodeInvalid, "role must be notulis or participant")
	}
	p.Role = r
	x.s.putParticipant(p)
	return "participant.changed", ParticipantData{Participant: *p}, nil
}

func participantRemove(x *exec) (string, any, error) {
	p, err := x.participant(x.cmd.ID)
	if err != nil {
		return "", nil, err
	}
	before := x.s.unitSig()
	p.Removed = true
	x.s.putParticipant(p)
	d := RemovedData{ID: p.ID}
	if x.s.unitShifted(before) {
		d.Notes = x.s.noteValues()
	}
	return "participant.removed", d, nil
}

func phaseSet(x *exec) (string, any, error) {
	p := Phase(x.cmd.Phase)
	ok := false
	for _, q := range Phases {
		ok = ok || q == p
	}
	if !ok {
		return "", nil, Errorf(CodeInvalid, "unknown phase")
	}
	if p == PhaseScreen && !x.s.Session.Settings.APKL.Enabled {
		return "", nil, Errorf(CodeInvalid, "switch APKL screening on before its step")
	}
	shown := x.s.withheldFor(Viewer{Role: RoleParticipant})
	x.s.Session.Phase = p
	x.s.putSession()
	d := PhaseData{Phase: p}
	// Closing (or opening) the scoring with hidden results: every viewer
	// gets the results again, projected for them.
	if x.s.withheldFor(Viewer{Role: RoleParticipant}) != shown {
		d.Notes, d.Groups, d.APKL = x.s.noteValues(), x.s.groupValues(), x.s.apklResults()
	}
	return "phase.changed", d, nil
}

func settingsUpdate(x *exec) (string, any, error) {
	c := x.cmd
	st := x.s.Session.Settings
	before := st
	if c.Anonymous != nil {
		st.Anonymous = *c.Anonymous
	}
	if c.PrivateBrainstorm != nil {
		st.PrivateBrainstorm = *c.PrivateBrainstorm
	}
	if c.VotesPerParticipant != nil {
		v := *c.VotesPerParticipant
		if v < 0 || v > MaxVotesBudget {
			return "", nil, Errorf(CodeInvalid, "votesPerParticipant must be from 0 to %d", MaxVotesBudget)
		}
		st.VotesPerParticipant = v
	}
	if c.Locked != nil {
		st.Locked = *c.Locked
	}
	if c.JoiningClosed != nil {
		st.JoiningClosed = *c.JoiningClosed
	}
	apklChanged, err := x.apklSettings(&st.APKL)
	if err != nil {
		return "", nil, err
	}
	if c.ShowUnits != nil {
		st.ShowUnits = *c.ShowUnits
	}
	if c.HideResults != nil {
		st.HideResults = *c.HideResults
	}
	shown := x.s.withheldFor(Viewer{Role: RoleParticipant})
	// A new private round hides the notes written from now on until the
	// next reveal; notes everyone has already read stay readable.
	if st.PrivateBrainstorm && !before.PrivateBrainstorm {
		x.s.Session.Revealed = false
	}
	// Ending a private round shows every note to everyone (the event below
	// carries them all), so they count as revealed: a later round must not
	// hide them again.
	if !st.PrivateBrainstorm && before.PrivateBrainstorm {
		x.s.revealNotes()
	}
	x.s.Session.Settings = st
	x.s.putSession()
	data := NotesData{Settings: &st, Revealed: x.s.Session.Revealed}
	// When what viewers may read or attribute changes, every viewer gets
	// every note again, projected for them.
	if st.Anonymous != before.Anonymous || st.PrivateBrainstorm != before.PrivateBrainstorm || st.ShowUnits != before.ShowUnits {
		data.Notes = x.s.noteValues()
	}
	if apklChanged {
		data.APKL = x.s.apklResults()
	}
	// Hiding or showing the results sends them again (or withholds them).
	if x.s.withheldFor(Viewer{Role: RoleParticipant}) != shown {
		data.Notes, data.Groups, data.APKL = x.s.noteValues(), x.s.groupValues(), x.s.apklResults()
	}
	return "settings.changed", data, nil
}

func (s *State) noteValues() []Note   { return values(s.SortedNotes()) }
func (s *State) groupValues() []Group { return values(s.SortedGroups()) }

// values copies the values ps point to.
func values[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// revealNotes marks every note revealed.
func (s *State) revealNotes() {
	for _, n := range s.Notes {
		if !n.Revealed {
			n.Revealed = true
			s.putNote(n)
		}
	}
}

func notesReveal(x *exec) (string, any, error) {
	x.s.revealNotes()
	x.s.Session.Revealed = true
	x.s.putSession()
	return "notes.revealed", NotesData{Revealed: true, Notes: x.s.noteValues()}, nil
}

func timerStart(x *exec) (string, any, error) {
	sec := x.cmd.Seconds
	if sec < 1 || sec > MaxTimerSeconds {
		return "", nil, Errorf(CodeInvalid, "seconds must be from 1 to %d", MaxTimerSeconds)
	}
	t := &Timer{EndsAt: x.now.Add(time.Duration(sec) * time.Second)}
	x.s.Session.Timer = t
	x.s.putSession()
	return "timer.changed", TimerData{Timer: t}, nil
}

func timerStop(x *exec) (string, any, error) {
	x.s.Session.Timer = nil
	x.s.putSession()
	return "timer.changed", TimerData{}, nil
}

func spotlightSet(x *exec) (string, any, error) {
	var t *string
	if x.cmd.TargetID.Valid && x.cmd.TargetID.Value != "" {
		id := x.cmd.TargetID.Value
		if !x.s.Target(id) {
			return "", nil, Errorf(CodeNotFound, "target not found")
		}
		t = &id
	}
	x.s.Session.Spotlight = t
	x.s.putSession()
	return "spotlight.changed", SpotlightData{TargetID: t}, nil
}

var columnKinds = map[string]bool{KindProblem: true, KindCause: true, KindInnovation: true, KindOther: true, KindEffect: true}

func columnAdd(x *exec) (string, any, error) {
	title, err := CleanText("title", deref(x.cmd.Title), 1, MaxTitle)
	if err != nil {
		return "", nil, err
	}
	kind := KindOther
	if x.cmd.Kind != nil {
		kind = *x.cmd.Kind
	}
	if !columnKinds[kind] {
		return "", nil, Errorf(CodeInvalid, "kind must be problem, cause, effect, innovation or other")
	}
	if len(x.s.Columns) >= MaxColumns {
		return "", nil, Errorf(CodeConflict, "too many columns (%d)", MaxColumns)
	}
	pos := 1.0
	for _, c := range x.s.Columns {
		if c.Position >= pos {
			pos = c.Position + 1
		}
	}
	c := &Column{ID: x.newID(), Title: title, Kind: kind, Position: pos}
	if x.cmd.Position != nil {
		c.Position = *x.cmd.Position
	}
	x.s.putColumn(c)
	x.created = c.ID
	return "column.added", ColumnData{Column: *c}, nil
}

func columnUpdate(x *exec) (string, any, error) {
	old, ok := x.s.Columns[x.cmd.ID]
	if !ok {
		return "", nil, Errorf(CodeNotFound, "column not found")
	}
	c := *old
	var err error
	if x.cmd.Title != nil {
		if c.Title, err = CleanText("title", *x.cmd.Title, 1, MaxTitle); err != nil {
			return "", nil, err
		}
	}
	if x.cmd.Kind != nil {
		if !columnKinds[*x.cmd.Kind] {
			return "", nil, Errorf(CodeInvalid, "kind must be problem, cause, effect, innovation or other")
		}
		c.Kind = *x.cmd.Kind
	}
	if x.cmd.Position != nil {
		c.Position = *x.cmd.Position
	}
	*old = c
	x.s.putColumn(old)
	return "column.updated", ColumnData{Column: c}, nil
}

// columnDelete removes a column with its notes and groups (the page asks
// for confirmation first). The last column stays: a board needs one.
func columnDelete(x *exec) (string, any, error) {
	c, ok := x.s.Columns[x.cmd.ID]
	if !ok {
		return "", nil, Errorf(CodeNotFound, "column not found")
	}
	if len(x.s.Columns) == 1 {
		return "", nil, Errorf(CodeConflict, "the last column cannot be deleted")
	}
	for _, n := range x.s.Notes {
		if n.ColumnID == c.ID {
			x.s.deleteNote(n.ID)
		}
	}
	for _, g := range x.s.Groups {
		if g.ColumnID == c.ID {
			x.s.deleteGroup(g.ID)
		}
	}
	delete(x.s.Columns, c.ID)
	x.s.put(EntColumn, c.ID, nil)
	return "column.deleted", IDData{ID: c.ID}, nil
}

func sessionClose(x *exec) (string, any, error) {
	x.s.Session.Closed = true
	x.s.Session.ClosedAt = x.now
	x.s.Session.Timer = nil
	x.s.putSession()
	return "session.closed", ClosedData{ClosedAt: x.now}, nil
}

// sessionRotateCode gives the session a new join code: the old one stops
// working with this change, so a code that leaked beyond the room can be
// withdrawn without starting over. Joined people keep their tokens.
func sessionRotateCode(x *exec) (string, any, error) {
	code := JoinCodeFrom([]byte(x.newID()))
	x.s.Session.JoinCode = code
	x.s.putSession()
	return "session.codeChanged", CodeData{JoinCode: code}, nil
}
