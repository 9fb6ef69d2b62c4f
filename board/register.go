package board

import (
	"cmp"
	"slices"
	"time"
)

// The action register (rencana aksi) of a programme: every action of every
// session of the programme, with its area perubahan, status, progress and
// evidence. It is computed, never stored: each session keeps its own
// actions, and a monitoring session keeps copies (Action.Origin) of the
// open actions it started with. BuildRegister merges each copy's reports
// back into its original: progress notes and evidence are united, and the
// status is the one set last (StatusAt), with the session that set it.

// Register is the programme's action register as GET
// /api/programmes/{id}/register sends it, and what the "Laporan Monitoring
// Rencana Aksi" is rendered from.
type Register struct {
	Programme   Programme `json:"programme"`
	GeneratedAt time.Time `json:"generatedAt"`
	// Today is the day overdue is measured against (YYYY-MM-DD, WIB).
	Today string `json:"today"`
	// Items are sorted by area (1–6, then those without an area), then
	// deadline, then the source session's date.
	Items []RegisterItem `json:"items"`
	// Areas counts the items per area: the six areas in order, then
	// (No 0, Name "") the items without an area, only when there are any.
	Areas  []AreaCount `json:"areas"`
	Totals AreaCount   `json:"totals"`
}

// RegisterItem is one action of the register.
type RegisterItem struct {
	ActionID string `json:"actionId"`
	Text     string `json:"text"`
	Owner    string `json:"owner"`
	Due      string `json:"due"`
	// Area is one of Areas, or "" when the action names none and its
	// target's column is none of them; AreaNo is its number (0 = none).
	Area   string `json:"area"`
	AreaNo int    `json:"areaNo"`
	// Source is the session the action was agreed in.
	Source SessionRef `json:"source"`
	Status string     `json:"status"`
	// StatusSource is the session where the status was last set (a
	// monitoring session, or the source); nil when it was never set.
	StatusSource *SessionRef `json:"statusSource"`
	StatusAt     time.Time   `json:"statusAt,omitzero"`
	// Overdue: not selesai and the deadline is before Today.
	Overdue bool `json:"overdue"`
	// Progress is every progress note, oldest first, each with its session.
	Progress []RegisterProgress `json:"progress"`
	Evidence []string           `json:"evidence"`
}

// RegisterProgress is a progress note with the session it came from.
type RegisterProgress struct {
	ProgressNote
	SessionTitle string `json:"sessionTitle"`
}

// SessionRef names a session: id, title and its date (YYYY-MM-DD, from
// its scheduled time or, without one, its creation, in its time zone).
type SessionRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Date  string `json:"date"`
}

// AreaCount is how many items an area holds, done, open (belum or proses)
// and overdue (of the open ones).
type AreaCount struct {
	No      int    `json:"no"`
	Name    string `json:"name"`
	Total   int    `json:"total"`
	Done    int    `json:"done"`
	Open    int    `json:"open"`
	Overdue int    `json:"overdue"`
}

// SessionDate is the session's day in its own zone (WIB by default): the
// scheduled time when it has one, else its creation.
func SessionDate(s *Session) string {
	loc, ok := TimeZone(s.TimeZone)
	if !ok {
		loc, _ = TimeZone("WIB")
	}
	t := s.CreatedAt
	if at, err := time.Parse(time.RFC3339, s.ScheduledAt); err == nil {
		t = at
	}
	return t.In(loc).Format(time.DateOnly)
}

func sessionRef(s *Session) SessionRef {
	return SessionRef{ID: s.ID, Title: s.Title, Date: SessionDate(s)}
}

// AreaOf is an action's area: its tag, else the title of its target's
// column when that is an area perubahan, else "".
func (s *State) AreaOf(a *Action) string {
	if a.Area != "" {
		return a.Area
	}
	col := ""
	if n, ok := s.Notes[a.TargetID]; ok {
		col = n.ColumnID
	} else if g, ok := s.Groups[a.TargetID]; ok {
		col = g.ColumnID
	}
	if c, ok := s.Columns[col]; ok {
		if n := AreaNo(c.Title); n > 0 {
			return Areas[n-1]
		}
	}
	return ""
}

// BuildRegister builds the register of a programme from the states of its
// sessions (in any order) at time now.
func BuildRegister(p Programme, sessions []*State, now time.Time) Register {
	wib, _ := TimeZone("WIB")
	r := Register{Programme: p, GeneratedAt: now.UTC(), Today: now.In(wib).Format(time.DateOnly), Items: []RegisterItem{}}
	refs := map[string]SessionRef{}
	for _, st := range sessions {
		refs[st.Session.ID] = sessionRef(&st.Session)
	}
	type key struct{ session, action string }
	items := map[key]*RegisterItem{}
	var order []key
	for _, st := range sessions {
		for _, a := range st.SortedActions() {
			if a.Origin != nil {
				continue
			}
			k := key{st.Session.ID, a.ID}
			area := st.AreaOf(a)
			it := &RegisterItem{ActionID: a.ID, Text: a.Text, Owner: a.Owner, Due: a.Due, Area: area, AreaNo: AreaNo(area),
				Source: refs[st.Session.ID], Progress: []RegisterProgress{}, Evidence: []string{}}
			items[k] = it
			order = append(order, k)
			merge(it, a, st.Session.ID, refs)
		}
	}
	for _, st := range sessions {
		for _, a := range st.SortedActions() {
			if a.Origin == nil {
				continue
			}
			if it := items[key{a.Origin.SessionID, a.Origin.ActionID}]; it != nil {
				merge(it, a, st.Session.ID, refs)
			}
		}
	}
	for _, k := range order {
		it := items[k]
		slices.SortStableFunc(it.Progress, func(a, b RegisterProgress) int { return a.At.Compare(b.At) })
		if it.Status == "" {
			it.Status = StatusBelum
		}
		it.Overdue = it.Status != StatusSelesai && it.Due != "" && it.Due < r.Today
		r.Items = append(r.Items, *it)
	}
	slices.SortStableFunc(r.Items, func(a, b RegisterItem) int {
		na, nb := a.AreaNo, b.AreaNo
		if na == 0 {
			na = 99
		}
		if nb == 0 {
			nb = 99
		}
		return cmp.Or(cmp.Compare(na, nb), cmp.Compare(a.Due, b.Due), cmp.Compare(a.Source.Date, b.Source.Date), cmp.Compare(a.Text, b.Text))
	})
	r.Areas, r.Totals = countAreas(r.Items)
	return r
}

// merge folds one session's copy of an action (or the action itself) into
// its register item: its progress notes (once each), its evidence, and its
// status when it was set later than the item's.
func merge(it *RegisterItem, a *Action, sessionID string, refs map[string]SessionRef) {
	for _, n := range a.Progress {
		if !slices.ContainsFunc(it.Progress, func(p RegisterProgress) bool { return p.ID == n.ID }) {
			it.Progress = append(it.Progress, RegisterProgress{ProgressNote: n, SessionTitle: refs[n.SessionID].Title})
		}
	}
	for _, l := range a.Evidence {
		if !slices.Contains(it.Evidence, l) {
			it.Evidence = append(it.Evidence, l)
		}
	}
	// A status never set (an old action, a fresh copy) counts only as long
	// as nothing was set anywhere.
	if it.Status == "" || (!a.StatusAt.IsZero() && a.StatusAt.After(it.StatusAt)) {
		it.Status, it.StatusAt = a.StatusOf(), a.StatusAt
		it.StatusSource = nil
		if !a.StatusAt.IsZero() {
			ref := refs[sessionID]
			it.StatusSource = &ref
		}
	}
}

func countAreas(items []RegisterItem) ([]AreaCount, AreaCount) {
	out := make([]AreaCount, len(Areas)+1)
	for i, a := range Areas {
		out[i] = AreaCount{No: i + 1, Name: a}
	}
	tot := AreaCount{}
	for _, it := range items {
		i := len(Areas)
		if it.AreaNo > 0 {
			i = it.AreaNo - 1
		}
		for _, c := range []*AreaCount{&out[i], &tot} {
			c.Total++
			if it.Status == StatusSelesai {
				c.Done++
			} else {
				c.Open++
				if it.Overdue {
					c.Overdue++
				}
			}
		}
	}
	if out[len(Areas)].Total == 0 {
		out = out[:len(Areas)]
	}
	return out, tot
}

// OpenActions are the register's actions not yet selesai, as copies for a
// new monitoring session: each keeps its text, PIC, deadline, area, status,
// progress and evidence, and names its origin. ids gives each copy its id.
// At most MaxActions, the earliest deadlines first.
func OpenActions(r Register, newID func() string) []Action {
	var out []Action
	open := slices.Clone(r.Items)
	slices.SortStableFunc(open, func(a, b RegisterItem) int { return cmp.Compare(a.Due, b.Due) })
	for _, it := range open {
		if it.Status == StatusSelesai || len(out) == MaxActions {
			continue
		}
		a := Action{ID: newID(), Text: it.Text, Owner: it.Owner, Due: it.Due, Area: it.Area, Status: it.Status, StatusAt: it.StatusAt,
			Evidence: slices.Clone(it.Evidence), Origin: &ActionOrigin{SessionID: it.Source.ID, ActionID: it.ActionID, SessionTitle: it.Source.Title, SessionDate: it.Source.Date}}
		for _, p := range it.Progress {
			a.Progress = append(a.Progress, p.ProgressNote)
		}
		if len(a.Evidence) == 0 {
			a.Evidence = nil
		}
		out = append(out, a)
	}
	return out
}
