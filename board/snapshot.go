package board

import "time"

// SessionView is the session header as every member sees it.
type SessionView struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Agenda      string    `json:"agenda"`
	Place       string    `json:"place"`
	Unit        string    `json:"unit"`
	ScheduledAt string    `json:"scheduledAt"`
	Template    string    `json:"template"`
	Lang        string    `json:"lang"`
	TimeZone    string    `json:"timeZone"`
	JoinCode    string    `json:"joinCode"`
	Phase       Phase     `json:"phase"`
	Closed      bool      `json:"closed"`
	Settings    Settings  `json:"settings"`
	Timer       *Timer    `json:"timer"`
	Spotlight   *string   `json:"spotlight"`
	Revealed    bool      `json:"revealed"`
	CreatedAt   time.Time `json:"createdAt"`
	ServerTime  time.Time `json:"serverTime"`

	City           string        `json:"city"`
	AcknowledgedBy *Acknowledger `json:"acknowledgedBy"` // null when not set
	// Programme: the programme the session belongs to (absent outside one).
	Programme *ProgrammeRef `json:"programme,omitempty"`
	// Invitation is the invitation letter's fields, null until set.
	Invitation *Invitation `json:"invitation"`
}

// GroupView is a group with the viewer's own votes and score.
type GroupView struct {
	Group
	MyVotes int    `json:"myVotes,omitempty"`
	MyUSG   *MyUSG `json:"myUsg,omitempty"`
	// APKL and MyAPKL as on NoteView.
	APKL   *APKLResult `json:"apkl,omitempty"`
	MyAPKL *APKLRating `json:"myApkl,omitempty"`
	// USGByUnit is the score per unit, where the unit rule allows it.
	USGByUnit []UnitUSG `json:"usgByUnit,omitempty"`
}

// You is the viewer's own identity and budget.
type You struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Role      Role   `json:"role"`
	VotesLeft int    `json:"votesLeft"`
}

// BoardView is the snapshot of the contract, projected for one viewer.
type BoardView struct {
	Seq          int64             `json:"seq"`
	Session      SessionView       `json:"session"`
	Columns      []Column          `json:"columns"`
	Groups       []GroupView       `json:"groups"`
	Notes        []any             `json:"notes"`
	Links        []Link            `json:"links"`
	Actions      []ActionView      `json:"actions"`
	Records      []RecordView      `json:"records"`
	Participants []ParticipantView `json:"participants"`
	You          You               `json:"you"`
	// Rules is the command table's rules, for the page to mirror.
	Rules map[string]CommandRule `json:"rules"`
}

// Snapshot returns the board as viewer v may see it. online tells who is
// connected now; now is the server's clock, sent so pages can correct
// their timers.
func (s *State) Snapshot(v Viewer, online func(id string) bool, now time.Time) BoardView {
	b := s.SnapshotHead(v, online, now)
	for _, n := range s.SortedNotes() {
		b.Notes = append(b.Notes, s.SnapshotNote(n, v))
	}
	return b
}

// SnapshotNote projects note n as it stands in v's snapshot.
func (s *State) SnapshotNote(n *Note, v Viewer) any {
	u := s.units()
	return s.noteView(n, s.CanRead(n, v), s.CanSeeAuthor(n, v), s.canSeeUnit(n, v, u), s.withheldFor(v), u, &v)
}

// EventNote projects note n as an event carrying every note (a reveal, a
// switch of privacy) shows it to v. For a note v did not write it is what
// ClassViewer(v) is shown.
func (s *State) EventNote(n *Note, v Viewer) any {
	u := s.units()
	return s.noteView(n, s.CanRead(n, v), s.CanSeeAuthor(n, v), s.canSeeUnit(n, v, u), s.withheldFor(v), u, nil)
}

// ClassViewer is the nameless viewer of v's role. For every note that is
// not v's own (OwnNote), v's snapshot shows exactly what ClassViewer(v)'s
// does: CanRead and CanSeeAuthor compare a viewer's ID only with the
// note's author, and the viewer's own votes and score are none. So a
// server may encode a board's notes once per role and share the bytes
// between every viewer of that role.
func ClassViewer(v Viewer) Viewer { return Viewer{ID: classViewerID, Role: v.Role} }

// classViewerID is no participant's ID (IDs are UUIDs).
const classViewerID = "\x00class"

// OwnNote reports whether v sees n differently from ClassViewer(v): v wrote
// it, or voted on or scored it.
func (s *State) OwnNote(n *Note, v Viewer) bool {
	if n.AuthorID == v.ID {
		return true
	}
	votes, usg := s.mine(v.ID, n.ID)
	return votes != 0 || usg != nil
}

// SnapshotHead is v's snapshot without its notes (an empty list): the
// server splices in the notes, encoded once per class (ClassViewer).
func (s *State) SnapshotHead(v Viewer, online func(id string) bool, now time.Time) BoardView {
	ss := s.Session
	b := BoardView{
		Seq: s.Seq,
		Session: SessionView{ID: ss.ID, Title: ss.Title, Agenda: ss.Agenda, Place: ss.Place, Unit: ss.Unit,
			ScheduledAt: ss.ScheduledAt, Template: ss.Template, Lang: ss.Lang, TimeZone: ss.TimeZone,
			JoinCode: ss.JoinCode, Phase: ss.Phase, Closed: ss.Closed, Settings: ss.Settings, Timer: ss.Timer,
			Spotlight: ss.Spotlight, Revealed: ss.Revealed, CreatedAt: ss.CreatedAt, ServerTime: now.UTC(),
			City: ss.City, AcknowledgedBy: ss.AcknowledgedBy, Invitation: ss.Invitation, Programme: ss.Programme},
		Columns: []Column{}, Groups: []GroupView{}, Notes: []any{}, Links: []Link{},
		Actions: []ActionView{}, Records: []RecordView{}, Participants: []ParticipantView{},
		Rules: CommandRules(),
	}
	if !MayReadJoinCode(v) {
		b.Session.JoinCode = ""
	}
	for _, c := range s.SortedColumns() {
		b.Columns = append(b.Columns, *c)
	}
	u := s.units()
	for _, g := range s.SortedGroups() {
		gv := GroupView{Group: *g}
		gv.MyVotes, gv.MyUSG = s.mine(v.ID, g.ID)
		gv.APKL, gv.MyAPKL = s.apklView(g.ID), s.myAPKL(v.ID, g.ID)
		if g.USG.Raters > 0 {
			gv.USGByUnit = s.unitUSG(g.ID, u)
		}
		gv.withhold(s.withheldFor(v))
		b.Groups = append(b.Groups, gv)
	}
	for _, l := range s.SortedLinks() {
		b.Links = append(b.Links, *l)
	}
	for _, a := range s.SortedActions() {
		b.Actions = append(b.Actions, actionView(a))
	}
	for _, r := range s.SortedRecords() {
		b.Records = append(b.Records, recordView(r))
	}
	for _, p := range s.SortedParticipants() {
		if p.Removed {
			continue
		}
		b.Participants = append(b.Participants, participantView(p, online != nil && online(p.ID), MaySeePersonal(p.ID, v)))
	}
	if p, ok := s.Participants[v.ID]; ok {
		b.You = You{ID: p.ID, Name: p.Name, Role: p.Role, VotesLeft: s.VotesLeft(p.ID)}
	}
	return b
}
