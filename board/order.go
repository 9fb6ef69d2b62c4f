package board

import "sort"

// The orders in which the board is shown: one place, so the page, the
// snapshot and the minutes list things alike.

// sorted returns the values of m ordered by less.
func sorted[T any](m map[string]*T, less func(a, b *T) bool) []*T {
	out := make([]*T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

// SortedColumns returns the columns in board order.
func (s *State) SortedColumns() []*Column {
	return sorted(s.Columns, func(a, b *Column) bool {
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		return a.ID < b.ID
	})
}

// SortedGroups returns the groups by column order, then position.
func (s *State) SortedGroups() []*Group {
	return sorted(s.Groups, func(a, b *Group) bool {
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		return a.ID < b.ID
	})
}

// SortedNotes returns the notes by position, then creation.
func (s *State) SortedNotes() []*Note {
	return sorted(s.Notes, func(a, b *Note) bool {
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
}

// SortedParticipants returns participants in join order.
func (s *State) SortedParticipants() []*Participant {
	return sorted(s.Participants, func(a, b *Participant) bool {
		if !a.JoinedAt.Equal(b.JoinedAt) {
			return a.JoinedAt.Before(b.JoinedAt)
		}
		return a.ID < b.ID
	})
}

// SortedLinks returns links in a stable order.
func (s *State) SortedLinks() []*Link {
	return sorted(s.Links, func(a, b *Link) bool { return a.ID < b.ID })
}

// SortedActions returns actions by deadline, then text.
func (s *State) SortedActions() []*Action {
	return sorted(s.Actions, func(a, b *Action) bool {
		if a.Due != b.Due {
			return a.Due < b.Due
		}
		if a.Text != b.Text {
			return a.Text < b.Text
		}
		return a.ID < b.ID
	})
}

// SortedRecords returns records by time written.
func (s *State) SortedRecords() []*Record {
	return sorted(s.Records, func(a, b *Record) bool {
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		return a.TargetID < b.TargetID
	})
}
