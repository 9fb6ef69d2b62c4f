package board

import "sort"

// The orders in which the board is shown: one place, so the page, the
// snapshot and the minutes list things alike.

// SortedColumns returns the columns in board order.
func (s *State) SortedColumns() []*Column {
	out := make([]*Column, 0, len(s.Columns))
	for _, c := range s.Columns {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Position != out[j].Position {
			return out[i].Position < out[j].Position
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// SortedGroups returns the groups by column order, then position.
func (s *State) SortedGroups() []*Group {
	out := make([]*Group, 0, len(s.Groups))
	for _, g := range s.Groups {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		return a.ID < b.ID
	})
	return out
}

// SortedNotes returns the notes by position, then creation.
func (s *State) SortedNotes() []*Note {
	out := make([]*Note, 0, len(s.Notes))
	for _, n := range s.Notes {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	return out
}

// SortedParticipants returns participants in join order.
func (s *State) SortedParticipants() []*Participant {
	out := make([]*Participant, 0, len(s.Participants))
	for _, p := range s.Participants {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].JoinedAt.Equal(out[j].JoinedAt) {
			return out[i].JoinedAt.Before(out[j].JoinedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// SortedLinks returns links in a stable order.
func (s *State) SortedLinks() []*Link {
	out := make([]*Link, 0, len(s.Links))
	for _, l := range s.Links {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SortedActions returns actions by deadline, then text.
func (s *State) SortedActions() []*Action {
	out := make([]*Action, 0, len(s.Actions))
	for _, a := range s.Actions {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Due != b.Due {
			return a.Due < b.Due
		}
		if a.Text != b.Text {
			return a.Text < b.Text
		}
		return a.ID < b.ID
	})
	return out
}

// SortedRecords returns records by time written.
func (s *State) SortedRecords() []*Record {
	out := make([]*Record, 0, len(s.Records))
	for _, r := range s.Records {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].TargetID < out[j].TargetID
	})
	return out
}
