package board

// Note and group commands.

func (x *exec) column(id string) (*Column, error) {
	c, ok := x.s.Columns[id]
	if !ok {
		return nil, Errorf(CodeNotFound, "column not found")
	}
	return c, nil
}

func (x *exec) note(id string) (*Note, error) {
	n, ok := x.s.Notes[id]
	if !ok {
		return nil, Errorf(CodeNotFound, "note not found")
	}
	return n, nil
}

// mayEdit: a note's author and the facilitator may change it.
func (x *exec) mayEdit(n *Note) error {
	if n.AuthorID != x.actor.ID && !x.isFacilitator() {
		return Errorf(CodeForbidden, "only the note's author or the facilitator may change it")
	}
	return nil
}

// groupIn checks that id ("" allowed) names a group of column columnID.
func (x *exec) groupIn(id, columnID string) error {
	if id == "" {
		return nil
	}
	g, ok := x.s.Groups[id]
	if !ok {
		return Errorf(CodeNotFound, "group not found")
	}
	if g.ColumnID != columnID {
		return Errorf(CodeInvalid, "the group is in another column")
	}
	return nil
}

func noteAdd(x *exec) (string, any, error) {
	c := x.cmd
	if _, err := x.column(c.ColumnID); err != nil {
		return "", nil, err
	}
	if c.Text == nil {
		return "", nil, Errorf(CodeInvalid, "text is required")
	}
	text, err := CleanLines("text", *c.Text, 1, MaxNoteText)
	if err != nil {
		return "", nil, err
	}
	color := DefaultColor
	if c.Color != nil {
		if !validColor(*c.Color) {
			return "", nil, Errorf(CodeInvalid, "unknown color")
		}
		color = *c.Color
	}
	group := ""
	if c.GroupID != nil {
		group = *c.GroupID
	}
	if err := x.groupIn(group, c.ColumnID); err != nil {
		return "", nil, err
	}
	if len(x.s.Notes) >= MaxNotes {
		return "", nil, Errorf(CodeConflict, "the board is full (%d notes)", MaxNotes)
	}
	st := x.s.Session
	n := &Note{
		ID: x.newID(), ColumnID: c.ColumnID, GroupID: group, Text: text, Color: color,
		Position: x.s.nextNotePosition(c.ColumnID), AuthorID: x.actor.ID, AuthorName: x.actor.Name,
		Revealed: !(st.Settings.PrivateBrainstorm && !st.Revealed), Anonymous: st.Settings.Anonymous, CreatedAt: x.now,
	}
	if c.Position != nil {
		n.Position = *c.Position
	}
	x.s.putNote(n)
	x.created = n.ID
	return "note.added", NoteData{Note: *n}, nil
}

func noteUpdate(x *exec) (string, any, error) {
	c := x.cmd
	n, err := x.note(c.ID)
	if err != nil {
		return "", nil, err
	}
	if err := x.mayEdit(n); err != nil {
		return "", nil, err
	}
	if c.Text == nil && c.Color == nil {
		return "", nil, Errorf(CodeInvalid, "nothing to change: give text or color")
	}
	upd := *n
	if c.Text != nil {
		if upd.Text, err = CleanLines("text", *c.Text, 1, MaxNoteText); err != nil {
			return "", nil, err
		}
	}
	if c.Color != nil {
		if !validColor(*c.Color) {
			return "", nil, Errorf(CodeInvalid, "unknown color")
		}
		upd.Color = *c.Color
	}
	*n = upd
	x.s.putNote(n)
	return "note.updated", NoteData{Note: *n}, nil
}

func noteMove(x *exec) (string, any, error) {
	c := x.cmd
	n, err := x.note(c.ID)
	if err != nil {
		return "", nil, err
	}
	// In phase group everyone sorts everyone's notes (affinity clustering).
	if x.s.Session.Phase != PhaseGroup {
		if err := x.mayEdit(n); err != nil {
			return "", nil, err
		}
	}
	col := c.ColumnID
	if col == "" {
		col = n.ColumnID
	}
	if _, err := x.column(col); err != nil {
		return "", nil, err
	}
	group := n.GroupID
	if c.GroupID != nil {
		group = *c.GroupID
	} else if col != n.ColumnID {
		group = ""
	}
	if err := x.groupIn(group, col); err != nil {
		return "", nil, err
	}
	pos := n.Position
	if c.Position != nil {
		pos = *c.Position
	} else if col != n.ColumnID {
		pos = x.s.nextNotePosition(col)
	}
	n.ColumnID, n.GroupID, n.Position = col, group, pos
	x.s.putNote(n)
	return "note.moved", NoteData{Note: *n}, nil
}

func noteDelete(x *exec) (string, any, error) {
	n, err := x.note(x.cmd.ID)
	if err != nil {
		return "", nil, err
	}
	if err := x.mayEdit(n); err != nil {
		return "", nil, err
	}
	x.s.deleteNote(n.ID)
	// The log keeps whether the note was anonymous: once it is gone, only
	// this says whether the actor of its deletion (most often its author)
	// may be named in a replay.
	return "note.deleted", IDData{ID: n.ID, Anonymous: n.Anonymous}, nil
}

func groupAdd(x *exec) (string, any, error) {
	c := x.cmd
	if _, err := x.column(c.ColumnID); err != nil {
		return "", nil, err
	}
	title, err := CleanText("title", deref(c.Title), 1, MaxTitle)
	if err != nil {
		return "", nil, err
	}
	if len(c.NoteIDs) > MaxGroupNoteIDs {
		return "", nil, Errorf(CodeInvalid, "at most %d notes in one command", MaxGroupNoteIDs)
	}
	for _, id := range c.NoteIDs {
		n, err := x.note(id)
		if err != nil {
			return "", nil, err
		}
		if n.ColumnID != c.ColumnID {
			return "", nil, Errorf(CodeInvalid, "a note is in another column")
		}
	}
	if len(x.s.Groups) >= MaxGroups {
		return "", nil, Errorf(CodeConflict, "too many groups (%d)", MaxGroups)
	}
	pos := 1.0
	for _, g := range x.s.Groups {
		if g.ColumnID == c.ColumnID && g.Position >= pos {
			pos = g.Position + 1
		}
	}
	g := &Group{ID: x.newID(), ColumnID: c.ColumnID, Title: title, Position: pos}
	x.s.putGroup(g)
	for _, id := range c.NoteIDs {
		n := x.s.Notes[id]
		n.GroupID = g.ID
		x.s.putNote(n)
	}
	x.created = g.ID
	return "group.added", GroupData{Group: *g, NoteIDs: c.NoteIDs}, nil
}

func groupUpdate(x *exec) (string, any, error) {
	g, ok := x.s.Groups[x.cmd.ID]
	if !ok {
		return "", nil, Errorf(CodeNotFound, "group not found")
	}
	title, err := CleanText("title", deref(x.cmd.Title), 1, MaxTitle)
	if err != nil {
		return "", nil, err
	}
	g.Title = title
	x.s.putGroup(g)
	return "group.updated", GroupData{Group: *g}, nil
}

func groupDelete(x *exec) (string, any, error) {
	g, ok := x.s.Groups[x.cmd.ID]
	if !ok {
		return "", nil, Errorf(CodeNotFound, "group not found")
	}
	x.s.deleteGroup(g.ID)
	return "group.deleted", IDData{ID: g.ID}, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
