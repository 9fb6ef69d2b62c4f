package minutes

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"rembuk/board"
)

// docViewer is whom the minutes are projected for: the downloader's role
// with no identity of its own. The rule (docs/protocol.md, "Minutes"): the
// minutes never hold a note that role could not read on the board at that
// moment, nor its author. So the facilitator's minutes hold the unrevealed
// private notes, marked; the notulis's leave them out, text, author and
// all. And as the viewer is nobody's author, board's "an author sees their
// own name" exception never applies: the minutes are filed and read by
// others, and an anonymous note is named by no one — not even the
// facilitator on the facilitator's own notes, nor the notulis on theirs.
func docViewer(role board.Role) board.Viewer {
	switch role {
	case board.RoleFacilitator, board.RoleNotulis:
		return board.Viewer{Role: role}
	}
	return board.Viewer{Role: board.RoleParticipant}
}

// roomViewer is any participant who wrote nothing: a note it may not read
// is one the private brainstorm still hides from the room.
var roomViewer = board.Viewer{Role: board.RoleParticipant}

// Build makes the minutes of st. It reads st and does not change it, so
// the caller (the room that owns st) may call it between commands.
func Build(st *board.State, opts Options) Model {
	lang := Lang(opts.Lang)
	l := labels[lang]
	zone, loc := zoneOf(st.Session.TimeZone, opts.Zone)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	b := &builder{st: st, l: l, v: docViewer(opts.Role), names: map[string]string{}, order: map[string]int{}}
	m := Model{Lang: lang, L: l, Zone: zone, Made: now.UTC(), Title: st.Session.Title, Unit: st.Session.Unit,
		Place: orNone(st.Session.Place, l), Anonymous: st.Session.Settings.Anonymous, PlainCSV: opts.PlainCSV}

	b.head(&m, now, loc, zone)
	m.Discussion = b.discussion()
	switch {
	case m.Anonymous:
		m.AnonymousNote = l.Anonymous
	case b.anonymous:
		m.AnonymousNote = l.AnonymousSome
	}
	m.APKL = b.screening(m.Discussion)
	m.Priorities = b.priorities(m.Discussion)
	m.Figures = b.figures(lang)
	m.Innovations = b.innovations(m.Discussion)
	m.Units = b.unitMap(m.Discussion)
	m.Conclusions = b.conclusions()
	m.Actions = b.actions()
	m.Board = b.board(now)
	return m
}

// board is the json format's snapshot, for the same viewer as the rest:
// a note that viewer may not read is left out, not sent as a hidden stub.
func (b *builder) board(now time.Time) board.BoardView {
	v := b.st.Snapshot(b.v, nil, now)
	notes := v.Notes[:0]
	for _, n := range v.Notes {
		if _, hidden := n.(board.HiddenNote); !hidden {
			notes = append(notes, n)
		}
	}
	v.Notes = notes
	// The snapshot's "you" is the document's reader: say whose view it is.
	if p := b.reader(); p != nil {
		v.You = board.You{ID: p.ID, Name: p.Name, Role: p.Role, VotesLeft: b.st.VotesLeft(p.ID)}
	} else {
		v.You = board.You{Role: b.v.Role}
	}
	return v
}

// reader is the person whose role the minutes are made for: the chair, or
// the first notulis.
func (b *builder) reader() *board.Participant {
	if b.v.Role == board.RoleFacilitator {
		return b.chair
	}
	return b.taker
}

type builder struct {
	st    *board.State
	l     *Labels
	v     board.Viewer // the downloader's role, nameless
	chair *board.Participant
	taker *board.Participant // the first notulis still in the session
	// anonymous is set when a note in the minutes was written while the
	// session was anonymous (and so names no author).
	anonymous bool
	names     map[string]string // note or group id -> how the minutes name it
	order     map[string]int    // note or group id -> place in the discussion
}

func orNone(s string, l *Labels) string {
	if strings.TrimSpace(s) == "" {
		return l.None
	}
	return s
}

// head fills the kepala: dates, times, people and the attendance list.
func (b *builder) head(m *Model, now time.Time, loc *time.Location, zone string) {
	l, ss := b.l, b.st.Session
	// A row merged into another (board/merge.go) is the same person: one
	// line per person. Removed rows stay: they attended.
	var people []*board.Participant
	for _, p := range b.st.SortedParticipants() {
		if p.MergedInto == "" {
			people = append(people, p)
		}
	}
	mt := when(b.st, people, now, loc)
	m.Date, m.Day = l.longDate(mt.start), mt.start.Format("2006-01-02")
	if mt.open {
		m.Time = fmt.Sprintf(l.Until, l.clock(mt.start)+" "+zone)
	} else {
		m.Time = l.clock(mt.start) + "–" + l.clock(mt.end) + " " + zone
	}
	if ss.Closed && !ss.ClosedAt.IsZero() {
		m.Closing = fmt.Sprintf(l.ClosedAt, l.clock(ss.ClosedAt.In(loc))+" "+zone)
	} else if ss.Closed {
		m.Closing = fmt.Sprintf(l.ClosedAt, l.clock(now.In(loc))+" "+zone)
	} else {
		m.Closing = fmt.Sprintf(l.OpenAt, l.clock(now.In(loc))+" "+zone)
	}

	var takers []string
	for i, p := range people {
		role := l.RoleParticipant
		switch p.Role {
		case board.RoleFacilitator:
			role = l.RoleFacilitator
			if b.chair == nil {
				b.chair = p
			}
		case board.RoleNotulis:
			role = l.RoleNotulis
			if !p.Removed {
				takers = append(takers, p.Name)
				if b.taker == nil {
					b.taker = p
				}
			}
		}
		m.Attendance = append(m.Attendance, Attendee{No: i + 1, ID: p.ID, Name: p.Name, Unit: p.Unit,
			Role: p.Role, RoleLabel: role, JoinedAt: p.JoinedAt, Time: l.clock(p.JoinedAt.In(loc)) + " " + zone,
			NIP: p.NIP, Jabatan: p.Jabatan, Signature: p.Signature, Strokes: board.SignatureStrokes(p.Signature)})
	}
	m.Chair, m.MinuteTaker = l.None, l.None
	chairName := ""
	if b.chair != nil {
		m.Chair, chairName = b.chair.Name, b.chair.Name
	}
	if len(takers) > 0 {
		m.MinuteTaker = strings.Join(takers, ", ")
	}
	m.Participants = fmt.Sprintf(l.SeeAttendance, len(people))
	for _, line := range strings.Split(strings.TrimSpace(ss.Agenda), "\n") {
		m.Agenda = append(m.Agenda, strings.TrimRight(line, " \t\r"))
	}
	if len(m.Agenda) == 1 && m.Agenda[0] == "" {
		m.Agenda = []string{l.None}
	}

	city := strings.TrimSpace(ss.City)
	if city == "" {
		city = l.NoCity
	}
	m.PlaceDate = city + ", " + l.dayDate(mt.start)
	if a := ss.AcknowledgedBy; a != nil {
		m.Acknowledged = &Acknowledged{Title: a.Title, Name: a.Name, NIP: l.NIP}
		if strings.TrimSpace(a.NIP) != "" {
			m.Acknowledged.NIP = fmt.Sprintf(l.NIPOf, a.NIP)
		}
	}
	m.Signatures = []Signature{{Role: l.Chair, Name: chairName}}
	for _, t := range takers {
		m.Signatures = append(m.Signatures, Signature{Role: l.MinuteTaker, Name: t})
	}
	if len(takers) == 0 {
		m.Signatures = append(m.Signatures, Signature{Role: l.MinuteTaker})
	}
}

// note projects one note through board's visibility rules; ok is false for
// a note the minutes' viewer may not read, which the minutes leave out.
func (b *builder) note(n *board.Note) (it Item, ok bool) {
	if !b.st.CanRead(n, b.v) {
		return Item{}, false
	}
	it = Item{ID: n.ID, Text: n.Text, Votes: n.Votes, USG: n.USG}
	if b.st.CanSeeAuthor(n, b.v) {
		it.Author = n.AuthorName
	}
	it.Unit = b.st.AuthorUnit(n, b.v)
	b.anonymous = b.anonymous || n.Anonymous
	if !b.st.CanRead(n, roomViewer) {
		it.Mark = b.l.NotRevealed
	}
	it.Stats = b.stats(it.Votes, it.USG)
	return it, true
}

func (b *builder) group(g *board.Group) Item {
	return Item{ID: g.ID, Text: g.Title, Votes: g.Votes, USG: g.USG, Stats: b.stats(g.Votes, g.USG)}
}

// stats writes votes and USG scores once, for every format to show.
func (b *builder) stats(votes int, u board.USG) string {
	l := b.l
	var parts []string
	if votes > 0 {
		parts = append(parts, fmt.Sprintf(plural(votes, l.VoteOne, l.VoteMany), votes))
	}
	if u.Raters > 0 {
		parts = append(parts, fmt.Sprintf("USG: U %s, S %s, G %s, %s %s (%s)", l.score(u.U), l.score(u.S),
			l.score(u.G), strings.ToLower(l.Total), l.score(u.Total), fmt.Sprintf(plural(u.Raters, l.RaterOne, l.RaterMany), u.Raters)))
	}
	return strings.Join(parts, "; ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// discussion walks the board once: columns in order, each with its groups
// (and their notes) and then its loose notes. It also records how every
// note and group is named and where it stands, for the sections after it.
func (b *builder) discussion() []Column {
	cols := b.st.SortedColumns()
	byCol := make(map[string]int, len(cols))
	out := make([]Column, len(cols))
	for i, c := range cols {
		byCol[c.ID] = i
		out[i] = Column{Title: c.Title, Kind: c.Kind}
	}
	groupAt := map[string][2]int{} // group id -> column index, group index
	for _, g := range b.st.SortedGroups() {
		ci, ok := byCol[g.ColumnID]
		if !ok {
			continue
		}
		groupAt[g.ID] = [2]int{ci, len(out[ci].Groups)}
		out[ci].Groups = append(out[ci].Groups, Group{Item: b.group(g)})
	}
	for _, n := range b.st.SortedNotes() {
		ci, ok := byCol[n.ColumnID]
		if !ok {
			continue
		}
		it, readable := b.note(n)
		if !readable {
			continue
		}
		if at, ok := groupAt[n.GroupID]; ok && at[0] == ci {
			g := &out[at[0]].Groups[at[1]]
			g.Notes = append(g.Notes, it)
		} else {
			out[ci].Notes = append(out[ci].Notes, it)
		}
	}
	walkItems(out, func(_ *Column, _ *Group, it *Item, _ bool) {
		b.order[it.ID] = len(b.order)
		b.names[it.ID] = oneLine(withMark(it.Text, it.Mark))
	})
	return out
}

// walkItems visits every group and note in discussion order. For a note,
// g is its group (nil when loose); for a group, g is the group itself and
// isGroup is true.
func walkItems(cols []Column, f func(c *Column, g *Group, it *Item, isGroup bool)) {
	for ci := range cols {
		c := &cols[ci]
		for gi := range c.Groups {
			g := &c.Groups[gi]
			f(c, g, &g.Item, true)
			for ni := range g.Notes {
				f(c, g, &g.Notes[ni], false)
			}
		}
		for ni := range c.Notes {
			f(c, nil, &c.Notes[ni], false)
		}
	}
}

// priorities ranks the problems and causes the team scored or voted on:
// USG total first (the team's mean), then votes; ties keep board order.
func (b *builder) priorities(cols []Column) []Priority {
	type ranked struct {
		it  *Item
		col string
	}
	var rs []ranked
	walkItems(cols, func(c *Column, _ *Group, it *Item, _ bool) {
		// With APKL's scope "passed", what did not pass never went on to USG.
		if (c.Kind == board.KindProblem || c.Kind == board.KindCause) && (it.USG.Raters > 0 || it.Votes > 0) && !b.screenedOut(it.ID) {
			rs = append(rs, ranked{it, c.Title})
		}
	})
	sort.SliceStable(rs, func(i, j int) bool {
		a, z := rs[i].it, rs[j].it
		if a.USG.Total != z.USG.Total {
			return a.USG.Total > z.USG.Total
		}
		return a.Votes > z.Votes
	})
	l := b.l
	out := make([]Priority, len(rs))
	for i, r := range rs {
		u, unscored := r.it.USG, l.None
		p := Priority{No: i + 1, Text: r.it.Text, Mark: r.it.Mark, Column: r.col, Raters: u.Raters, Votes: r.it.Votes,
			U: unscored, S: unscored, G: unscored, Total: unscored}
		if u.Raters > 0 {
			p.U, p.S, p.G, p.Total = l.score(u.U), l.score(u.S), l.score(u.G), l.score(u.Total)
		}
		out[i] = p
	}
	return out
}

// innovations lists every innovation with what it answers, via the links.
func (b *builder) innovations(cols []Column) []Innovation {
	answers := map[string][]string{}
	for _, lk := range b.st.SortedLinks() {
		if board.LinkKindOf(lk) != board.LinkAnswers {
			continue // cause and effect links are drawn as figures
		}
		if _, ok := b.names[lk.ToID]; ok {
			answers[lk.FromID] = append(answers[lk.FromID], lk.ToID)
		}
	}
	var out []Innovation
	walkItems(cols, func(c *Column, _ *Group, it *Item, _ bool) {
		if c.Kind != board.KindInnovation {
			return
		}
		ids := answers[it.ID]
		sort.Slice(ids, func(i, j int) bool { return b.order[ids[i]] < b.order[ids[j]] })
		in := Innovation{Item: *it, Column: c.Title}
		for _, id := range ids {
			in.Answers = append(in.Answers, b.names[id])
		}
		out = append(out, in)
	})
	return out
}

func (b *builder) conclusions() []Conclusion {
	var out []Conclusion
	for _, r := range b.st.SortedRecords() {
		target := b.l.WholeSession
		if r.TargetID != "" {
			name, ok := b.names[r.TargetID]
			if !ok {
				continue // its note or group is gone, or in no column
			}
			target = name
		}
		out = append(out, Conclusion{Target: target, Text: r.Text})
	}
	return out
}

func (b *builder) actions() []Action {
	var out []Action
	for i, a := range b.st.SortedActions() {
		ac := Action{No: i + 1, Text: a.Text, Target: b.names[a.TargetID], Owner: a.Owner,
			Due: b.l.dueDate(a.Due), Done: a.Done, Status: b.l.NotDone}
		if a.Done {
			ac.Status = b.l.Done
		}
		out = append(out, ac)
	}
	return out
}
