package minutes

import (
	"strings"
	"time"

	"rembuk/board"
)

// gatherWindow is how long before the scheduled start people arriving
// count as a meeting that began on time: a room fills in the last hour.
const gatherWindow = time.Hour

// meeting is when the meeting took place, as the minutes write it.
type meeting struct {
	start, end time.Time // in the minutes' zone
	open       bool      // no end yet: the meeting is still to come or under way without one
}

// when decides the minutes' date and times (the rule is in docs/protocol.md,
// "Hari/Tanggal and Waktu"). Without a usable scheduledAt it is the first
// join to the close (or now). With one, the date and the start are the
// scheduled ones, unless the meeting began later that day: then the start
// is the first activity (a join or a note) after the scheduled time,
// provided nobody had arrived in the hour before it. The end is the close,
// or now; an end before the start (minutes written before the meeting) is
// no end at all. A session closed before its scheduled time was held
// early: the actual times are used.
func when(st *board.State, people []*board.Participant, now time.Time, loc *time.Location) meeting {
	ss := st.Session
	end := now
	if ss.Closed && !ss.ClosedAt.IsZero() {
		end = ss.ClosedAt
	}
	sched, ok := scheduledAt(ss.ScheduledAt, loc)
	if !ok || (ss.Closed && end.Before(sched)) {
		start := now
		if len(people) > 0 {
			start = people[0].JoinedAt // SortedParticipants is in join order
		} else if !ss.CreatedAt.IsZero() {
			start = ss.CreatedAt
		}
		return meeting{start: start.In(loc), end: end.In(loc)}
	}
	start := sched
	if first, ok := firstActivity(st, people, sched); ok && sameDay(first, sched, loc) && !gatheredEarly(people, sched) {
		start = first
	}
	m := meeting{start: start.In(loc), end: end.In(loc)}
	if end.Before(start) {
		m.open, m.end = true, time.Time{}
	}
	return m
}

// scheduledAt reads the session's scheduledAt: RFC 3339 (what the page
// sends), or a date and time without a zone, taken in the session's zone
// (what older clients and the protocol's example send).
func scheduledAt(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// firstActivity is the earliest join or note at or after t.
func firstActivity(st *board.State, people []*board.Participant, t time.Time) (time.Time, bool) {
	var first time.Time
	consider := func(at time.Time) {
		if !at.Before(t) && (first.IsZero() || at.Before(first)) {
			first = at
		}
	}
	for _, p := range people {
		consider(p.JoinedAt)
	}
	for _, n := range st.Notes {
		consider(n.CreatedAt)
	}
	return first, !first.IsZero()
}

// gatheredEarly: someone joined in the hour before the scheduled start, so
// the meeting could begin on time whatever happened first after it.
func gatheredEarly(people []*board.Participant, sched time.Time) bool {
	for _, p := range people {
		if p.JoinedAt.Before(sched) && !p.JoinedAt.Before(sched.Add(-gatherWindow)) {
			return true
		}
	}
	return false
}

func sameDay(a, b time.Time, loc *time.Location) bool {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	return ay == by && am == bm && ad == bd
}
