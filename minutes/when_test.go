package minutes

import (
	"testing"
	"time"

	"rembuk/board"
)

// wib is a time on a December 2026 day, in WIB.
func wib(day, hour, min int) time.Time {
	loc, _ := board.TimeZone("WIB")
	return time.Date(2026, 12, day, hour, min, 0, 0, loc)
}

// prepared is a session the facilitator set up on 3 December at 17.42 WIB
// for a meeting scheduled at sched; joins are the participants' join times.
func prepared(t *testing.T, sched string, joins ...time.Time) *board.State {
	t.Helper()
	created := wib(3, 17, 42)
	st := board.NewState(board.Session{ID: "s", Title: "Rapat", ScheduledAt: sched, Settings: board.DefaultSettings(), CreatedAt: created})
	if _, err := st.Join(board.Participant{ID: "p-fac", Name: "Rina", Role: board.RoleFacilitator, JoinedAt: created}); err != nil {
		t.Fatal(err)
	}
	for i, at := range joins {
		p := board.Participant{ID: string(rune('a' + i)), Name: "Peserta " + string(rune('A'+i)), Role: board.RoleParticipant, JoinedAt: at}
		if _, err := st.Join(p); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func closeAt(t *testing.T, st *board.State, at time.Time) {
	t.Helper()
	if _, err := st.Execute("p-fac", board.Command{Type: "session.close", Ref: "r"}, at, func() string { return "x" }); err != nil {
		t.Fatal(err)
	}
}

// TestMeetingDate: a board prepared days before files the meeting's own
// date and time, not the day it was prepared.
func TestMeetingDate(t *testing.T) {
	const tenDec = "2026-12-10T02:00:00.000Z" // 09.00 WIB, as the landing page sends it
	cases := []struct {
		name           string
		st             func(t *testing.T) *board.State
		now            time.Time
		zone           string
		date, tm, lang string
	}{
		{"on time, closed", func(t *testing.T) *board.State {
			st := prepared(t, tenDec, wib(10, 8, 52), wib(10, 9, 3))
			closeAt(t, st, wib(10, 11, 15))
			return st
		}, wib(10, 11, 20), "", "Kamis, 10 Desember 2026", "09.00–11.15 WIB", "id"},
		{"english", func(t *testing.T) *board.State {
			st := prepared(t, tenDec, wib(10, 8, 52))
			closeAt(t, st, wib(10, 11, 15))
			return st
		}, wib(10, 11, 20), "", "Thursday, 10 December 2026", "09:00–11:15 WIB", "en"},
		{"began late: the first join after the scheduled time", func(t *testing.T) *board.State {
			st := prepared(t, tenDec, wib(10, 9, 20), wib(10, 9, 25))
			closeAt(t, st, wib(10, 11, 0))
			return st
		}, wib(10, 11, 5), "", "Kamis, 10 Desember 2026", "09.20–11.00 WIB", "id"},
		{"minutes drafted while preparing: no end yet", func(t *testing.T) *board.State {
			return prepared(t, tenDec)
		}, wib(3, 17, 50), "", "Kamis, 10 Desember 2026", "09.00 WIB s.d. selesai", "id"},
		{"under way, not closed", func(t *testing.T) *board.State {
			return prepared(t, tenDec, wib(10, 8, 58))
		}, wib(10, 10, 30), "", "Kamis, 10 Desember 2026", "09.00–10.30 WIB", "id"},
		{"no zone in scheduledAt: the session's zone", func(t *testing.T) *board.State {
			st := prepared(t, "2026-12-10T09:00")
			st.Session.TimeZone = "WITA"
			return st
		}, wib(3, 18, 0), "", "Kamis, 10 Desember 2026", "09.00 WITA s.d. selesai", "id"},
		{"WITA session, RFC 3339 at +08:00", func(t *testing.T) *board.State {
			st := prepared(t, "2026-12-10T09:00:00+08:00", wib(10, 7, 55))
			st.Session.TimeZone = "WITA"
			closeAt(t, st, wib(10, 9, 30))
			return st
		}, wib(10, 10, 0), "", "Kamis, 10 Desember 2026", "09.00–10.30 WITA", "id"},
		{"a first activity on another day does not move the start", func(t *testing.T) *board.State {
			st := prepared(t, tenDec, wib(11, 9, 0))
			closeAt(t, st, wib(11, 10, 0))
			return st
		}, wib(11, 10, 0), "", "Kamis, 10 Desember 2026", "09.00–10.00 WIB", "id"},
		{"closed before the scheduled time: held early, actual times", func(t *testing.T) *board.State {
			st := prepared(t, tenDec, wib(8, 13, 0))
			closeAt(t, st, wib(8, 15, 0))
			return st
		}, wib(8, 15, 0), "", "Kamis, 3 Desember 2026", "17.42–15.00 WIB", "id"},
		{"no scheduledAt: the first join, as before", func(t *testing.T) *board.State {
			st := prepared(t, "")
			closeAt(t, st, wib(3, 18, 30))
			return st
		}, wib(3, 19, 0), "", "Kamis, 3 Desember 2026", "17.42–18.30 WIB", "id"},
		{"unreadable scheduledAt: the first join", func(t *testing.T) *board.State {
			return prepared(t, "Kamis pagi")
		}, wib(3, 18, 0), "", "Kamis, 3 Desember 2026", "17.42–18.00 WIB", "id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Build(c.st(t), Options{Now: c.now, Lang: c.lang, Zone: c.zone})
			if m.Date != c.date || m.Time != c.tm {
				t.Errorf("Date, Time = %q, %q; want %q, %q", m.Date, m.Time, c.date, c.tm)
			}
		})
	}
}

// TestMeetingDateNote: a note written after the scheduled time counts as
// the first activity when nobody joined after it.
func TestMeetingDateNote(t *testing.T) {
	st := prepared(t, "2026-12-10T02:00:00Z")
	st.Notes["n"] = &board.Note{ID: "n", Text: "x", AuthorID: "p-fac", CreatedAt: wib(10, 9, 40)}
	closeAt(t, st, wib(10, 10, 0))
	m := Build(st, Options{Now: wib(10, 10, 0)})
	if m.Time != "09.40–10.00 WIB" || m.Day != "2026-12-10" {
		t.Errorf("Time %q, Day %q; want 09.40–10.00 WIB on 2026-12-10", m.Time, m.Day)
	}
	if m.Closing != "Rapat ditutup pukul 10.00 WIB." {
		t.Errorf("Closing %q", m.Closing)
	}
}
