package board

import "strings"

// Merging two attendance rows that are the same person (someone who joined
// twice, before they could rejoin from a second device): the facilitator
// names the row that goes (id) and the one that stays (intoId). What the
// row that goes did is attributed to the one that stays, as the rules
// allow:
//   - notes: their author becomes the survivor; a note written while the
//     session was anonymous stays anonymous (its flag is kept), so nobody
//     learns more than before;
//   - votes: the survivor's own dots stay; the other row's are added, in
//     board order, while the survivor's budget (votesPerParticipant) lasts,
//     and the rest are dropped — one person, one budget;
//   - USG scores and APKL ratings: the survivor's own stay; the other row's
//     move where the survivor has none (one person, one score per item);
//   - the signature, NIP, jabatan and unit fill the survivor's where empty;
//     the role is the higher (notulis over participant); the time joined
//     is the earlier;
//   - actions whose owner (PIC) is the other row's name now name the
//     survivor;
//   - the other row's tokens become the survivor's devices, so its phone
//     goes on as the survivor; the row is removed (mergedInto set) and
//     leaves the attendance list.
// The facilitator's own row never goes (its role is the session's).

// MergedData is the event of a merge. Notes and Groups carry every note
// and group (authorship and totals changed), projected per viewer.
type MergedData struct {
	ID           string      `json:"id"`
	IntoID       string      `json:"intoId"`
	Participant  Participant `json:"participant"`
	Notes        []Note      `json:"notes"`
	Groups       []Group     `json:"groups"`
	VotesDropped int         `json:"votesDropped"`
}

func participantMerge(x *exec) (string, any, error) {
	from, err := x.participant(x.cmd.ID)
	if err != nil {
		if ErrorCode(err) == CodeForbidden {
			err = Errorf(CodeForbidden, "the facilitator's row cannot be merged away; merge the other row into it")
		}
		return "", nil, err
	}
	into := x.s.Participants[x.cmd.IntoID]
	if into == nil || into.Removed {
		return "", nil, Errorf(CodeNotFound, "participant not found")
	}
	if into.ID == from.ID {
		return "", nil, Errorf(CodeInvalid, "a row cannot be merged into itself")
	}
	s := x.s
	for _, n := range s.Notes {
		if n.AuthorID == from.ID {
			n.AuthorID, n.AuthorName = into.ID, into.Name
			s.putNote(n)
		}
	}
	dropped := s.mergeVotes(from.ID, into.ID)
	for _, sc := range s.Scores {
		if sc.ParticipantID != from.ID {
			continue
		}
		t := sc.TargetID
		if _, ok := s.Scores[voteKey(into.ID, t)]; !ok {
			cp := *sc
			cp.ParticipantID = into.ID
			s.setScore(from.ID, t, nil)
			s.setScore(into.ID, t, &cp)
		} else {
			s.setScore(from.ID, t, nil)
		}
	}
	for _, r := range s.APKLRatings {
		if r.ParticipantID != from.ID {
			continue
		}
		t := r.TargetID
		cp := *r
		s.setAPKL(from.ID, t, nil)
		if s.apklBy[t][into.ID] == nil {
			cp.ParticipantID = into.ID
			s.setAPKL(into.ID, t, &cp)
		}
	}
	for _, a := range s.Actions {
		if strings.EqualFold(strings.TrimSpace(a.Owner), strings.TrimSpace(from.Name)) && a.Owner != into.Name {
			a.Owner = into.Name
			s.putAction(a)
		}
	}
	mergeDetails(from, into)
	if len(from.TokenHash) > 0 {
		s.putDevice(&Device{ID: x.newID(), ParticipantID: into.ID, Hash: from.TokenHash, At: x.now})
	}
	for _, d := range s.DevicesOf(from.ID) {
		d.ParticipantID = into.ID
		s.putDevice(d)
	}
	from.Removed = true
	from.MergedInto = into.ID
	s.putParticipant(from)
	s.putParticipant(into)
	return "participant.merged", MergedData{ID: from.ID, IntoID: into.ID, Participant: *into,
		Notes: s.noteValues(), Groups: s.groupValues(), VotesDropped: dropped}, nil
}

// mergeVotes moves from's dots onto into's within into's budget, in board
// order, and returns how many were dropped.
func (s *State) mergeVotes(from, into string) int {
	budget := s.Session.Settings.VotesPerParticipant - s.votesUsed[into]
	dropped := 0
	var targets []string
	for _, n := range s.SortedNotes() {
		targets = append(targets, n.ID)
	}
	for _, g := range s.SortedGroups() {
		targets = append(targets, g.ID)
	}
	for _, t := range targets {
		v := s.Votes[voteKey(from, t)]
		if v == nil || v.Count == 0 {
			continue
		}
		n := v.Count
		keep := min(n, max(budget, 0))
		s.setVotes(from, t, 0)
		if keep > 0 {
			mine := 0
			if w := s.Votes[voteKey(into, t)]; w != nil {
				mine = w.Count
			}
			s.setVotes(into, t, mine+keep)
			budget -= keep
		}
		dropped += n - keep
	}
	return dropped
}

// mergeDetails fills the survivor's attendance details from the other row.
func mergeDetails(from, into *Participant) {
	if into.Signature == "" && from.Signature != "" {
		into.Signature, into.SignedAt = from.Signature, from.SignedAt
	}
	if into.NIP == "" {
		into.NIP = from.NIP
	}
	if into.Jabatan == "" {
		into.Jabatan = from.Jabatan
	}
	if into.Unit == "" {
		into.Unit = from.Unit
	}
	if into.Role == RoleParticipant && from.Role == RoleNotulis {
		into.Role = RoleNotulis
	}
	if !from.JoinedAt.IsZero() && from.JoinedAt.Before(into.JoinedAt) {
		into.JoinedAt = from.JoinedAt
	}
}
