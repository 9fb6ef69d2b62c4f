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
}

// GroupView is a group with the viewer's own votes and score.
type GroupView struct {
	Group
	MyVotes   int       `json:"myVotes,omitempty"`
	MyUSG     *MyUSG    `json:"myUsg,omitempty"`
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
	ss := s.Session
	b := BoardView{
		Seq: s.Seq,
		Session: SessionView{ID: ss.ID, Title: ss.Title, Agenda: ss.Agenda, Place: ss.Place, Unit: ss.Unit,
			ScheduledAt: ss.ScheduledAt, Template: ss.Template, Lang: ss.Lang, TimeZone: ss.TimeZone,
			JoinCode: ss.JoinCode, Phase: ss.Phase, Closed: ss.Closed, Settings: ss.Settings, Timer: ss.Timer,
			Spotlight: ss.Spotlight, Revealed: ss.Revealed, CreatedAt: ss.CreatedAt, ServerTime: now.UTC()},
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
		if g.USG.Raters > 0 {
			gv.USGByUnit = s.unitUSG(g.ID, u)
		}
		b.Groups = append(b.Groups, gv)
	}
	for _, n := range s.SortedNotes() {
		b.Notes = append(b.Notes, s.noteView(n, s.CanRead(n, v), s.CanSeeAuthor(n, v), s.canSeeUnit(n, v, u), u, &v))
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
		b.Participants = append(b.Participants, participantView(p, online != nil && online(p.ID)))
	}
	if p, ok := s.Participants[v.ID]; ok {
		b.You = You{ID: p.ID, Name: p.Name, Role: p.Role, VotesLeft: s.VotesLeft(p.ID)}
	}
	return b
}
