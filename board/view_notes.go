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
	}
	return nil
}

// notesFor projects every note of an event for viewer v.
func (s *State) notesFor(notes []Note, v Viewer) []any {
	u := s.units()
	out := make([]any, len(notes))
	for i := range notes {
		n := &notes[i]
		out[i] = s.noteView(n, s.CanRead(n, v), s.CanSeeAuthor(n, v), s.canSeeUnit(n, v, u), u, nil)
	}
	return out
}
