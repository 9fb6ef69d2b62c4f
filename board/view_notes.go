package board

// Events that carry every note again (a reveal, a settings change, a unit
// crossing MinUnitSize) are projected per viewer; these helpers are shared
// by classOf, shared, Replayable and Project in view.go.

// everyNote returns the notes an event carries for every viewer to be
// projected again (a reveal, a settings change, a unit crossing
// MinUnitSize), or nil.
func everyNote(ev *Event) []Note {
	switch d := ev.Data.(type) {
	case NotesData:
		return d.Notes
	case ParticipantData:
		return d.Notes
	case RemovedData:
		return d.Notes
	case PhaseData:
		return d.Notes
	case MergedData:
		return d.Notes
	}
	return nil
}

// notesFor projects every note of an event for viewer v.
// w is what of the team's results the class is denied (Class.Withheld: v
// may be a nameless viewer of another role, notesViewer).
func (s *State) notesFor(notes []Note, v Viewer, w Withheld) []any {
	u := s.units()
	out := make([]any, len(notes))
	for i := range notes {
		n := &notes[i]
		out[i] = s.noteView(n, s.CanRead(n, v), s.CanSeeAuthor(n, v), s.canSeeUnit(n, v, u), w, u, nil)
	}
	return out
}

// groupsFor projects every group of an event for a class denied w (no own
// votes: those the viewer keeps from its snapshot and vote.changed).
func (s *State) groupsFor(groups []Group, w Withheld) []GroupView {
	u := s.units()
	out := make([]GroupView, len(groups))
	for i := range groups {
		g := GroupView{Group: groups[i], APKL: s.apklView(groups[i].ID)}
		if g.USG.Raters > 0 {
			g.USGByUnit = s.unitUSG(g.ID, u)
		}
		g.withhold(w)
		out[i] = g
	}
	return out
}
