package board

// Voting, USG scoring, links, actions and records.

func (x *exec) target(id string) error {
	if id == "" {
		return Errorf(CodeInvalid, "targetId is required")
	}
	if !x.s.Target(id) {
		return Errorf(CodeNotFound, "target not found")
	}
	return nil
}

func voteCast(x *exec) (string, any, error) {
	t := x.cmd.TargetID.Value
	if err := x.target(t); err != nil {
		return "", nil, err
	}
	if x.s.VotesLeft(x.actor.ID) <= 0 {
		return "", nil, Errorf(CodeBudgetExceeded, "no votes left")
	}
	return x.setVotes(t, 1)
}

func voteRetract(x *exec) (string, any, error) {
	t := x.cmd.TargetID.Value
	if err := x.target(t); err != nil {
		return "", nil, err
	}
	if v := x.s.Votes[voteKey(x.actor.ID, t)]; v == nil || v.Count == 0 {
		return "", nil, Errorf(CodeConflict, "you have no vote on this to retract")
	}
	return x.setVotes(t, -1)
}

func (x *exec) setVotes(t string, d int) (string, any, error) {
	mine := 0
	if v := x.s.Votes[voteKey(x.actor.ID, t)]; v != nil {
		mine = v.Count
	}
	x.s.setVotes(x.actor.ID, t, mine+d)
	return "vote.changed", VoteData{TargetID: t, Votes: x.s.targetVotes(t), Voter: x.actor.ID, VoterVotes: mine + d}, nil
}

func (s *State) targetVotes(id string) int {
	if n, ok := s.Notes[id]; ok {
		return n.Votes
	}
	if g, ok := s.Groups[id]; ok {
		return g.Votes
	}
	return 0
}

func (s *State) targetUSG(id string) USG {
	if n, ok := s.Notes[id]; ok {
		return n.USG
	}
	if g, ok := s.Groups[id]; ok {
		return g.USG
	}
	return USG{}
}

func usgValid(v int) bool { return v >= 1 && v <= 5 }

func usgScore(x *exec) (string, any, error) {
	c := x.cmd
	t := c.TargetID.Value
	if err := x.target(t); err != nil {
		return "", nil, err
	}
	if !usgValid(c.U) || !usgValid(c.S) || !usgValid(c.G) {
		return "", nil, Errorf(CodeInvalid, "u, s and g must each be an integer from 1 to 5")
	}
	if x.s.ScreenedOut(t) {
		return "", nil, Errorf(CodeInvalid, "this item did not pass the APKL screening: only items that passed go on to USG")
	}
	sc := &Score{ParticipantID: x.actor.ID, TargetID: t, U: c.U, S: c.S, G: c.G}
	x.s.setScore(x.actor.ID, t, sc)
	return "usg.changed", USGData{TargetID: t, USG: x.s.targetUSG(t), Scorer: x.actor.ID, Score: *sc}, nil
}

// columnKindOf returns the kind of the column a note or group is in.
func (s *State) columnKindOf(id string) string {
	col := ""
	if n, ok := s.Notes[id]; ok {
		col = n.ColumnID
	} else if g, ok := s.Groups[id]; ok {
		col = g.ColumnID
	}
	if c, ok := s.Columns[col]; ok {
		return c.Kind
	}
	return ""
}

func linkAdd(x *exec) (string, any, error) {
	c := x.cmd
	if c.FromID == "" || c.ToID == "" {
		return "", nil, Errorf(CodeInvalid, "fromId and toId are required")
	}
	kind := LinkAnswers // today's clients send no kind
	if c.Kind != nil {
		kind = *c.Kind
	}
	if !linkKinds[kind] {
		return "", nil, Errorf(CodeInvalid, "kind must be cause, answers or effect")
	}
	if !x.s.Target(c.FromID) || !x.s.Target(c.ToID) {
		return "", nil, Errorf(CodeNotFound, "note or group not found")
	}
	if err := x.s.checkLinkKind(kind, c.FromID, c.ToID); err != nil {
		return "", nil, err
	}
	for _, l := range x.s.Links {
		if l.FromID == c.FromID && l.ToID == c.ToID {
			return "", nil, Errorf(CodeConflict, "these are already linked")
		}
	}
	if len(x.s.Links) >= MaxLinks {
		return "", nil, Errorf(CodeConflict, "too many links (%d)", MaxLinks)
	}
	l := &Link{ID: x.newID(), FromID: c.FromID, ToID: c.ToID, Kind: kind}
	x.s.putLink(l)
	x.created = l.ID
	return "link.added", LinkData{Link: *l}, nil
}

func linkDelete(x *exec) (string, any, error) {
	l, ok := x.s.Links[x.cmd.ID]
	if !ok {
		return "", nil, Errorf(CodeNotFound, "link not found")
	}
	delete(x.s.Links, l.ID)
	x.s.put(EntLink, l.ID, nil)
	return "link.deleted", IDData{ID: l.ID}, nil
}

// actionFields validates the fields an action command carries onto a.
func (x *exec) actionFields(a *Action, requireAll bool) error {
	c := x.cmd
	var err error
	if c.Text != nil || requireAll {
		if a.Text, err = CleanLines("text", deref(c.Text), 1, MaxActionText); err != nil {
			return err
		}
	}
	if c.Owner != nil || requireAll {
		if a.Owner, err = CleanText("owner", deref(c.Owner), 1, MaxName); err != nil {
			return err
		}
	}
	if c.Due != nil || requireAll {
		if !ValidDate(deref(c.Due)) {
			return Errorf(CodeInvalid, "due must be a date YYYY-MM-DD")
		}
		a.Due = *c.Due
	}
	if c.TargetID.Set {
		a.TargetID = c.TargetID.Value
		if a.TargetID != "" && !x.s.Target(a.TargetID) {
			return Errorf(CodeNotFound, "target not found")
		}
	}
	if err := x.actionRegisterFields(a); err != nil {
		return err
	}
	if c.Done != nil {
		a.Done = *c.Done
	}
	return nil
}

func actionAdd(x *exec) (string, any, error) {
	a := &Action{}
	if err := x.actionFields(a, true); err != nil {
		return "", nil, err
	}
	if len(x.s.Actions) >= MaxActions {
		return "", nil, Errorf(CodeConflict, "too many actions (%d)", MaxActions)
	}
	a.ID = x.newID()
	x.s.putAction(a)
	x.created = a.ID
	return "action.added", ActionData{Action: *a}, nil
}

func actionUpdate(x *exec) (string, any, error) {
	old, ok := x.s.Actions[x.cmd.ID]
	if !ok {
		return "", nil, Errorf(CodeNotFound, "action not found")
	}
	a := *old
	if err := x.actionFields(&a, false); err != nil {
		return "", nil, err
	}
	*old = a
	x.s.putAction(old)
	return "action.updated", ActionData{Action: a}, nil
}

func actionDelete(x *exec) (string, any, error) {
	a, ok := x.s.Actions[x.cmd.ID]
	if !ok {
		return "", nil, Errorf(CodeNotFound, "action not found")
	}
	delete(x.s.Actions, a.ID)
	x.s.put(EntAction, a.ID, nil)
	return "action.deleted", IDData{ID: a.ID}, nil
}

// recordSet writes the conclusion for a target, or for the whole session
// when targetId is null or absent. Empty text clears it.
func recordSet(x *exec) (string, any, error) {
	t := x.cmd.TargetID.Value
	if t != "" && !x.s.Target(t) {
		return "", nil, Errorf(CodeNotFound, "target not found")
	}
	if x.cmd.Text == nil {
		return "", nil, Errorf(CodeInvalid, "text is required")
	}
	text, err := CleanLines("text", *x.cmd.Text, 0, MaxRecordText)
	if err != nil {
		return "", nil, err
	}
	r := &Record{TargetID: t, Text: text, At: x.now}
	if text == "" {
		x.s.delRecord(t)
	} else {
		x.s.putRecord(r)
	}
	return "record.set", RecordData{Record: *r}, nil
}
