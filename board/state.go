package board

// Entity kinds, as the store files them.
const (
	EntSession     = "session"
	EntParticipant = "participant"
	EntColumn      = "column"
	EntGroup       = "group"
	EntNote        = "note"
	EntLink        = "link"
	EntAction      = "action"
	EntRecord      = "record"
	EntVote        = "vote"
	EntScore       = "score"
	EntAPKL        = "apkl"
)

// Put is one row the store must write (Value non-nil) or delete (Value nil).
type Put struct {
	Kind  string
	ID    string
	Value any
}

// State is the live board of one session. Only the room that owns the
// session touches it, so it has no locks. Mutations go through the put*
// and del* helpers, which keep the aggregates and record what the store
// must write.
type State struct {
	Session      Session
	Participants map[string]*Participant
	Columns      map[string]*Column
	Groups       map[string]*Group
	Notes        map[string]*Note
	Links        map[string]*Link
	Actions      map[string]*Action
	Records      map[string]*Record     // by target id; "" is the session
	Votes        map[string]*Vote       // by voteKey
	Scores       map[string]*Score      // by voteKey
	APKLRatings  map[string]*APKLRating // by voteKey
	Devices      map[string]*Device     // a participant's further tokens (devices.go)
	Seq          int64

	votesUsed map[string]int // participant id -> votes cast
	usgSums   map[string]*usgSum
	apklBy    map[string]map[string]*APKLRating // target -> rater -> rating
	maxPos    map[string]float64                // column id -> highest note position seen (an upper bound)
	pending   []Put
	// unitCache is the units table (units.go), built on first use and
	// dropped whenever a participant is put or loaded: every event is
	// classed once per connection, and a join is rare.
	unitCache *units
}

type usgSum struct{ u, s, g, n int }

func voteKey(participantID, targetID string) string { return participantID + "/" + targetID }

// NewState builds an empty state for a session.
func NewState(s Session) *State {
	return &State{
		Session: s, Participants: map[string]*Participant{}, Columns: map[string]*Column{},
		Groups: map[string]*Group{}, Notes: map[string]*Note{}, Links: map[string]*Link{},
		Actions: map[string]*Action{}, Records: map[string]*Record{}, Votes: map[string]*Vote{},
		Scores: map[string]*Score{}, votesUsed: map[string]int{}, usgSums: map[string]*usgSum{}, maxPos: map[string]float64{},
		APKLRatings: map[string]*APKLRating{}, apklBy: map[string]map[string]*APKLRating{},
		Devices: map[string]*Device{},
	}
}

// Load adds a stored entity to a state being rebuilt; it records no Put.
func (s *State) Load(kind string, v any) {
	switch x := v.(type) {
	case *Participant:
		s.Participants[x.ID] = x
		s.unitCache = nil
	case *Column:
		s.Columns[x.ID] = x
	case *Group:
		s.Groups[x.ID] = x
	case *Note:
		s.Notes[x.ID] = x
	case *Link:
		x.Kind = LinkKindOf(x) // stored before links had kinds
		s.Links[x.ID] = x
	case *Action:
		s.Actions[x.ID] = x
	case *Record:
		s.Records[x.TargetID] = x
	case *Vote:
		s.Votes[voteKey(x.ParticipantID, x.TargetID)] = x
	case *Score:
		s.Scores[voteKey(x.ParticipantID, x.TargetID)] = x
	case *APKLRating:
		s.loadAPKL(x)
	case *Device:
		s.Devices[x.ID] = x
	}
}

// Recount rebuilds the vote and USG aggregates after Load.
func (s *State) Recount() {
	s.votesUsed = map[string]int{}
	s.usgSums = map[string]*usgSum{}
	s.maxPos = map[string]float64{}
	for _, n := range s.Notes {
		n.Votes, n.USG = 0, USG{}
		s.seePosition(n)
	}
	for _, g := range s.Groups {
		g.Votes, g.USG = 0, USG{}
	}
	for _, v := range s.Votes {
		s.votesUsed[v.ParticipantID] += v.Count
		s.addTargetVotes(v.TargetID, v.Count)
	}
	for _, sc := range s.Scores {
		s.addScore(sc, 1)
	}
}

// takePending returns and clears the puts recorded since the last call.
func (s *State) takePending() []Put {
	p := s.pending
	s.pending = nil
	return p
}

func (s *State) put(kind, id string, v any) { s.pending = append(s.pending, Put{kind, id, v}) }

func (s *State) putSession() { cp := s.Session; s.put(EntSession, cp.ID, &cp) }

func (s *State) putParticipant(p *Participant) {
	s.Participants[p.ID] = p
	s.unitCache = nil
	cp := *p
	s.put(EntParticipant, p.ID, &cp)
}

func (s *State) putColumn(c *Column) { s.Columns[c.ID] = c; cp := *c; s.put(EntColumn, c.ID, &cp) }
func (s *State) putGroup(g *Group)   { s.Groups[g.ID] = g; cp := *g; s.put(EntGroup, g.ID, &cp) }
func (s *State) putNote(n *Note) {
	s.Notes[n.ID] = n
	s.seePosition(n)
	cp := *n
	s.put(EntNote, n.ID, &cp)
}

// seePosition keeps the column's highest position, so adding a note does
// not scan the board (a paste into a 5,000-note board would be quadratic).
func (s *State) seePosition(n *Note) {
	if n.Position > s.maxPos[n.ColumnID] {
		s.maxPos[n.ColumnID] = n.Position
	}
}
func (s *State) putLink(l *Link)     { s.Links[l.ID] = l; cp := *l; s.put(EntLink, l.ID, &cp) }
func (s *State) putAction(a *Action) { s.Actions[a.ID] = a; cp := *a; s.put(EntAction, a.ID, &cp) }

func (s *State) putRecord(r *Record) {
	s.Records[r.TargetID] = r
	cp := *r
	s.put(EntRecord, recordID(r.TargetID), &cp)
}

func recordID(target string) string {
	if target == "" {
		return "session"
	}
	return target
}

func (s *State) delRecord(target string) {
	if _, ok := s.Records[target]; ok {
		delete(s.Records, target)
		s.put(EntRecord, recordID(target), nil)
	}
}

// setVotes sets one participant's dots on a target and keeps the totals.
func (s *State) setVotes(pid, target string, count int) {
	k := voteKey(pid, target)
	old := 0
	if v, ok := s.Votes[k]; ok {
		old = v.Count
	}
	s.votesUsed[pid] += count - old
	s.addTargetVotes(target, count-old)
	if count == 0 {
		delete(s.Votes, k)
		s.put(EntVote, k, nil)
		return
	}
	v := &Vote{ParticipantID: pid, TargetID: target, Count: count}
	s.Votes[k] = v
	cp := *v
	s.put(EntVote, k, &cp)
}

func (s *State) addTargetVotes(target string, d int) {
	if n, ok := s.Notes[target]; ok {
		n.Votes += d
	} else if g, ok := s.Groups[target]; ok {
		g.Votes += d
	}
}

// setScore replaces one participant's USG score on a target (nil removes it).
func (s *State) setScore(pid, target string, sc *Score) {
	k := voteKey(pid, target)
	if old, ok := s.Scores[k]; ok {
		s.addScore(old, -1)
		delete(s.Scores, k)
	}
	if sc == nil {
		s.put(EntScore, k, nil)
		return
	}
	s.Scores[k] = sc
	s.addScore(sc, 1)
	cp := *sc
	s.put(EntScore, k, &cp)
}

func (s *State) addScore(sc *Score, sign int) {
	sum := s.usgSums[sc.TargetID]
	if sum == nil {
		sum = &usgSum{}
		s.usgSums[sc.TargetID] = sum
	}
	sum.u += sign * sc.U
	sum.s += sign * sc.S
	sum.g += sign * sc.G
	sum.n += sign
	u := sum.usg()
	if n, ok := s.Notes[sc.TargetID]; ok {
		n.USG = u
	} else if g, ok := s.Groups[sc.TargetID]; ok {
		g.USG = u
	}
}

func (m *usgSum) usg() USG {
	if m.n <= 0 {
		return USG{}
	}
	n := float64(m.n)
	return USG{U: round2(float64(m.u) / n), S: round2(float64(m.s) / n), G: round2(float64(m.g) / n),
		Total: round2(float64(m.u+m.s+m.g) / n), Raters: m.n}
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// VotesUsed returns how many dots a participant has placed.
func (s *State) VotesUsed(pid string) int { return s.votesUsed[pid] }

// VotesLeft returns a participant's remaining budget.
func (s *State) VotesLeft(pid string) int {
	left := s.Session.Settings.VotesPerParticipant - s.votesUsed[pid]
	if left < 0 {
		return 0
	}
	return left
}

// dropTarget removes what hangs on a deleted note or group: votes, scores,
// links, its record, action targets and the spotlight.
func (s *State) dropTarget(id string) {
	for _, v := range s.Votes {
		if v.TargetID == id {
			s.setVotes(v.ParticipantID, id, 0)
		}
	}
	for _, sc := range s.Scores {
		if sc.TargetID == id {
			s.setScore(sc.ParticipantID, id, nil)
		}
	}
	delete(s.usgSums, id)
	s.dropAPKL(id)
	for _, l := range s.Links {
		if l.FromID == id || l.ToID == id {
			delete(s.Links, l.ID)
			s.put(EntLink, l.ID, nil)
		}
	}
	s.delRecord(id)
	for _, a := range s.Actions {
		if a.TargetID == id {
			a.TargetID = ""
			s.putAction(a)
		}
	}
	if s.Session.Spotlight != nil && *s.Session.Spotlight == id {
		s.Session.Spotlight = nil
		s.putSession()
	}
}

func (s *State) deleteNote(id string) {
	s.dropTarget(id)
	delete(s.Notes, id)
	s.put(EntNote, id, nil)
}

func (s *State) deleteGroup(id string) {
	for _, n := range s.Notes {
		if n.GroupID == id {
			n.GroupID = ""
			s.putNote(n)
		}
	}
	s.dropTarget(id)
	delete(s.Groups, id)
	s.put(EntGroup, id, nil)
}

// Target reports whether id is a note or a group.
func (s *State) Target(id string) bool {
	_, n := s.Notes[id]
	_, g := s.Groups[id]
	return n || g
}

// nextPosition returns a position after every item in the column.
func (s *State) nextNotePosition(columnID string) float64 {
	return s.maxPos[columnID] + 1
}
