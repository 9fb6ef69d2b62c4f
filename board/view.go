package board

import "time"

// Viewer is who a frame or snapshot is projected for.
type Viewer struct {
	ID   string
	Role Role
}

// ViewerOf returns the viewer a participant is.
func ViewerOf(p *Participant) Viewer { return Viewer{ID: p.ID, Role: p.Role} }

// This file is the single place that decides what a viewer may see. Every
// outbound frame, snapshot, resume replay, HTTP answer and the minutes go
// through CanRead, CanSeeAuthor, ClassKey/Project, Replayable and Snapshot.

// CanRead reports whether v may read note n's text. While the private
// brainstorm is on, an unrevealed note reaches only its author and the
// facilitator.
func (s *State) CanRead(n *Note, v Viewer) bool {
	if s.revealed(n) || !s.Session.Settings.PrivateBrainstorm && s.exists(n) {
		return true
	}
	return v.ID == n.AuthorID || v.Role == RoleFacilitator
}

// exists reports whether n is still on the board. Ending a private round
// reveals the notes then on the board, not those deleted before it: a
// replay of such a note's old events must keep them hidden.
func (s *State) exists(n *Note) bool {
	_, ok := s.Notes[n.ID]
	return ok
}

// revealed uses the note's current flag when it still exists, so a replay
// of an old event follows today's reveal, never an older, looser state.
func (s *State) revealed(n *Note) bool {
	if cur, ok := s.Notes[n.ID]; ok {
		return cur.Revealed
	}
	return n.Revealed
}

// CanSeeAuthor reports whether v may learn who wrote n. For an anonymous
// note only the author does — the facilitator included.
func (s *State) CanSeeAuthor(n *Note, v Viewer) bool {
	if !s.CanRead(n, v) {
		return false
	}
	return !s.anonymous(n) || v.ID == n.AuthorID
}

// CanSeeUnit reports whether v may learn the unit of n's author. Whoever
// may learn the author may learn the unit (it is on the attendance list).
// Otherwise — an anonymous note — anonymity wins: the unit is shown only
// when the facilitator has turned on ShowUnits (tampilkan unit), and never
// when the unit has fewer than MinUnitSize people in the session now (a
// unit of one would name its author). Removed people are not counted.
func (s *State) CanSeeUnit(n *Note, v Viewer) bool { return s.canSeeUnit(n, v, s.units()) }

// anonymous reports whether n's author is withheld: the session is
// anonymous now, or n was written while it was. The stamp never changes
// after a note is written; the live note's is asked too, so a replay of an
// event logged before notes carried it still follows the note.
func (s *State) anonymous(n *Note) bool {
	return s.Session.Settings.Anonymous || s.stamped(n)
}

// stamped reports whether n was written while the session was anonymous.
func (s *State) stamped(n *Note) bool {
	if n.Anonymous {
		return true
	}
	cur, ok := s.Notes[n.ID]
	return ok && cur.Anonymous
}

// actorVisible reports whether v may learn who acted. In anonymous mode
// only the facilitator's own acts are attributed; a note's author is never
// revealed through the actor of an event about that note.
func (s *State) actorVisible(ev *Event, v Viewer, note *Note) bool {
	if ev.ActorID == "" || ev.ActorID == v.ID {
		return true
	}
	if s.Session.Settings.Anonymous && s.roleOf(ev.ActorID) != RoleFacilitator {
		return false
	}
	if note != nil && note.AuthorID == ev.ActorID && !s.CanSeeAuthor(note, v) {
		return false
	}
	return true
}

// actorOn reports whether v may learn who voted on, scored or linked the
// notes or groups ids: v itself always; anyone else only when v may read
// every one of them, and the actor is not the withheld author of one (a
// vote on one's own anonymous note must not name its author). A target
// that is gone (a replay after its deletion) can no longer be asked, so it
// counts as unreadable.
func (s *State) actorOn(ev *Event, v Viewer, ids ...string) bool {
	if ev.ActorID == v.ID {
		return true
	}
	for _, id := range ids {
		if n, ok := s.Notes[id]; ok {
			if !s.CanRead(n, v) || n.AuthorID == ev.ActorID && !s.CanSeeAuthor(n, v) {
				return false
			}
		} else if _, ok := s.Groups[id]; !ok {
			return false
		}
	}
	return true
}

// ResultsHidden reports whether v is denied the team's results — the
// votes and USG totals of notes and groups and USG per unit — while the
// facilitator hides them (Settings.HideResults) and the phase is screen or
// vote: a participant sees only their own votes and scores, so the
// others' do not anchor theirs. Withheld totals read as zero and withheld
// breakdowns as absent. Staff (facilitator, notulis) always see them. It
// depends on v's role alone, so every viewer of a role shares one encoding
// (ClassViewer).
func (s *State) ResultsHidden(v Viewer) bool { return s.withheldFor(v).Totals }

// Withheld is what of the team's results a viewer is denied.
type Withheld struct {
	// Totals: votes, USG and USG per unit (screen and vote phases).
	Totals bool
	// APKL: APKL results, during the screen phase only — in the vote
	// phase they decide which items may be scored, so they show.
	APKL bool
}

// withheldFor returns what of the team's results v is denied now.
func (s *State) withheldFor(v Viewer) Withheld {
	if v.Role != RoleParticipant || s.resultsShown() {
		return Withheld{}
	}
	return Withheld{Totals: true, APKL: s.Session.Phase == PhaseScreen}
}

// resultsShown reports whether the team's results reach participants now.
func (s *State) resultsShown() bool {
	p := s.Session.Phase
	return !s.Session.Settings.HideResults || p != PhaseVote && p != PhaseScreen
}

// withhold clears from gv what w denies.
func (gv *GroupView) withhold(w Withheld) {
	if w.Totals {
		gv.Votes, gv.USG, gv.USGByUnit = 0, USG{}, nil
	}
	if w.APKL {
		gv.APKL = nil
	}
}

// roleOf returns a participant's role; an unknown id counts as a participant.
func (s *State) roleOf(id string) Role {
	if p, ok := s.Participants[id]; ok {
		return p.Role
	}
	return RoleParticipant
}

// NoteView is a readable note as a viewer receives it.
type NoteView struct {
	ID         string  `json:"id"`
	ColumnID   string  `json:"columnId"`
	GroupID    *string `json:"groupId"`
	Text       string  `json:"text"`
	Color      string  `json:"color"`
	Position   float64 `json:"position"`
	AuthorID   *string `json:"authorId"`
	AuthorName *string `json:"authorName"`
	// AuthorUnit is the label of the author's unit, set only when the
	// viewer may learn it (CanSeeUnit).
	AuthorUnit string `json:"authorUnit,omitempty"`
	Votes      int    `json:"votes"`
	USG        USG    `json:"usg"`
	// USGByUnit is the USG per unit of the raters (State.unitUSG).
	USGByUnit []UnitUSG `json:"usgByUnit,omitempty"`
	// Private marks a note only its author and the facilitator read now
	// (private brainstorm, not yet revealed): the page counts them.
	Private bool `json:"private,omitempty"`
	// Anonymous marks a note written while the session was anonymous: its
	// author is withheld for good, so the page says "Anonim" even after
	// anonymity is switched off.
	Anonymous bool   `json:"anonymous,omitempty"`
	Mine      bool   `json:"mine,omitempty"`
	MyVotes   int    `json:"myVotes,omitempty"`
	MyUSG     *MyUSG `json:"myUsg,omitempty"`
	// APKL is the item's screening result (board/apkl.go), MyAPKL the
	// viewer's own rating; both absent until someone rates it.
	APKL   *APKLResult `json:"apkl,omitempty"`
	MyAPKL *APKLRating `json:"myApkl,omitempty"`
}

// HiddenNote is the whole of what a viewer who may not read a note gets.
type HiddenNote struct {
	ID       string `json:"id"`
	ColumnID string `json:"columnId"`
	Hidden   bool   `json:"hidden"`
}

// MyUSG is the viewer's own score.
type MyUSG struct {
	U int `json:"u"`
	S int `json:"s"`
	G int `json:"g"`
}

// noteView projects n. The aggregates come from the live note when it
// exists (an event's copy may be older); unit says the viewer may learn the
// author's unit (from u); mine adds the viewer's own votes and score
// (snapshot only); w is what of the team's results the viewer is denied.
func (s *State) noteView(n *Note, text, author, unit bool, w Withheld, u *units, mine *Viewer) any {
	if !text {
		return HiddenNote{ID: n.ID, ColumnID: n.ColumnID, Hidden: true}
	}
	v := NoteView{ID: n.ID, ColumnID: n.ColumnID, GroupID: orNull(n.GroupID), Text: n.Text, Color: n.Color, Position: n.Position,
		Votes: n.Votes, USG: n.USG, APKL: s.apklView(n.ID), Private: s.Session.Settings.PrivateBrainstorm && !s.revealed(n), Anonymous: s.stamped(n)}
	if author {
		id, name := n.AuthorID, n.AuthorName
		v.AuthorID, v.AuthorName = &id, &name
	}
	if unit {
		v.AuthorUnit = u.label[u.of[n.AuthorID]]
	}
	if n.USG.Raters > 0 {
		v.USGByUnit = s.unitUSG(n.ID, u)
	}
	if w.Totals {
		v.Votes, v.USG, v.USGByUnit = 0, USG{}, nil
	}
	if w.APKL {
		v.APKL = nil
	}
	if mine != nil {
		v.Mine = n.AuthorID == mine.ID
		v.MyVotes, v.MyUSG = s.mine(mine.ID, n.ID)
		v.MyAPKL = s.myAPKL(mine.ID, n.ID)
	}
	return v
}

func (s *State) mine(pid, target string) (int, *MyUSG) {
	votes := 0
	if x := s.Votes[voteKey(pid, target)]; x != nil {
		votes = x.Count
	}
	if sc := s.Scores[voteKey(pid, target)]; sc != nil {
		return votes, &MyUSG{sc.U, sc.S, sc.G}
	}
	return votes, nil
}

// RecordView is a record with a null target for the whole session.
type RecordView struct {
	TargetID *string   `json:"targetId"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
}

func recordView(r *Record) RecordView {
	return RecordView{TargetID: orNull(r.TargetID), Text: r.Text, At: r.At}
}

// orNull is s, or JSON's null for "".
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ActionView is an action with a null target when it has none.
type ActionView struct {
	ID       string  `json:"id"`
	Text     string  `json:"text"`
	Owner    string  `json:"owner"`
	Due      string  `json:"due"`
	TargetID *string `json:"targetId"`
	Done     bool    `json:"done"`
	// The action register's fields (register.go); status is absent on an
	// action never given one (then done says selesai or belum).
	Status   string         `json:"status,omitempty"`
	Area     string         `json:"area,omitempty"`
	StatusAt time.Time      `json:"statusAt,omitzero"`
	Progress []ProgressNote `json:"progress,omitempty"`
	Evidence []string       `json:"evidence,omitempty"`
	Origin   *ActionOrigin  `json:"origin,omitempty"`
}

func actionView(a *Action) ActionView {
	return ActionView{ID: a.ID, Text: a.Text, Owner: a.Owner, Due: a.Due, TargetID: orNull(a.TargetID), Done: a.Done,
		Status: a.Status, Area: a.Area, StatusAt: a.StatusAt, Progress: a.Progress, Evidence: a.Evidence, Origin: a.Origin}
}

// ParticipantView is a participant as everyone may see them.
type ParticipantView struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Unit     string    `json:"unit"`
	Role     Role      `json:"role"`
	JoinedAt time.Time `json:"joinedAt"`
	Online   bool      `json:"online"`
	// Signed and Jabatan reach everyone; NIP, Signature and SignedAt only
	// a viewer MaySeePersonal allows (personal is that answer).
	Signed    bool      `json:"signed"`
	Jabatan   string    `json:"jabatan,omitempty"`
	NIP       string    `json:"nip,omitempty"`
	Signature string    `json:"signature,omitempty"`
	SignedAt  time.Time `json:"signedAt,omitzero"`
}

func participantView(p *Participant, online, personal bool) ParticipantView {
	v := ParticipantView{ID: p.ID, Name: p.Name, Unit: p.Unit, Role: p.Role, JoinedAt: p.JoinedAt, Online: online,
		Signed: p.Signature != "", Jabatan: p.Jabatan}
	if personal {
		v.NIP, v.Signature, v.SignedAt = p.NIP, p.Signature, p.SignedAt
	}
	return v
}
