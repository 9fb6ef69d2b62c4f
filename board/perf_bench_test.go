package board_test

// Microbenchmarks of the hot paths the load benchmark (bench/) exercises:
// deciding a command, projecting and encoding an event for a room of
// viewers, and encoding a welcome snapshot. See docs/performance.md.

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"rembuk/board"
)

var perfT0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// perfBoard is a session of n participants (p1..pn) and a facilitator
// (fac), one column (col1) and notes notes spread over the participants.
func perfBoard(tb testing.TB, n, notes int, settings board.Settings) *board.State {
	tb.Helper()
	s := board.NewState(board.Session{ID: "sess", Title: "Rapat", Template: "kosong", Phase: board.PhaseBrainstorm,
		Settings: settings, CreatedAt: perfT0})
	s.Load(board.EntColumn, &board.Column{ID: "col1", Title: "Catatan", Kind: board.KindOther, Position: 1})
	join := func(id string, role board.Role) {
		ch, err := s.Join(board.Participant{ID: id, Name: "Nama " + id, Unit: "Unit", Role: role, JoinedAt: perfT0,
			TokenHash: []byte(id)})
		if err != nil {
			tb.Fatal(err)
		}
		s.Commit(s.Seq + 1)
		_ = ch
	}
	join("fac", board.RoleFacilitator)
	for i := 1; i <= n; i++ {
		join(fmt.Sprintf("p%d", i), board.RoleParticipant)
	}
	ids := perfIDs("n")
	for i := 0; i < notes; i++ {
		perfAdd(tb, s, fmt.Sprintf("p%d", i%n+1), ids)
	}
	return s
}

func perfIDs(prefix string) func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("%s-%08d", prefix, n) }
}

func perfAdd(tb testing.TB, s *board.State, actor string, ids func() string) *board.Change {
	text := "Pelayanan publik lambat karena antrean manual di loket " + actor
	ch, err := s.Execute(actor, board.Command{Type: "note.add", Ref: ids(), ColumnID: "col1", Text: &text}, perfT0, ids)
	if err != nil {
		tb.Fatal(err)
	}
	s.Commit(s.Seq + 1)
	ch.Event.Seq = s.Seq
	return ch
}

// BenchmarkExecuteNoteAdd decides and applies one note.add on a board that
// already holds 1,000 notes (the board is rebuilt every 2,000 adds so it
// never reaches the 5,000-note cap).
func BenchmarkExecuteNoteAdd(b *testing.B) {
	s := perfBoard(b, 200, 1000, board.DefaultSettings())
	ids := perfIDs("b")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 && i%2000 == 0 {
			b.StopTimer()
			s = perfBoard(b, 200, 1000, board.DefaultSettings())
			b.StartTimer()
		}
		perfAdd(b, s, fmt.Sprintf("p%d", i%200+1), ids)
	}
}

// BenchmarkExecuteVote decides one vote.cast followed by its retract.
func BenchmarkExecuteVote(b *testing.B) {
	s := perfBoard(b, 200, 200, board.DefaultSettings())
	s.Session.Phase = board.PhaseVote
	ids := perfIDs("v")
	target := "n-00000002"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, typ := range []string{"vote.cast", "vote.retract"} {
			if _, err := s.Execute("p7", board.Command{Type: typ, Ref: ids(), TargetID: board.Str(target)}, perfT0, ids); err != nil {
				b.Fatal(err)
			}
			s.Commit(s.Seq + 1)
		}
	}
}

// fanout projects and encodes ev for every viewer the way the room does:
// one encoding per visibility class, shared by every viewer of the class.
func fanout(s *board.State, ev *board.Event, viewers []board.Viewer) (encodings int) {
	cache := map[board.Class][]byte{}
	for _, v := range viewers {
		c := s.ClassKey(ev, v)
		if _, ok := cache[c]; !ok {
			b, _ := json.Marshal(s.Project(ev, c))
			cache[c] = b
		}
	}
	return len(cache)
}

func perfViewers(s *board.State) []board.Viewer {
	var out []board.Viewer
	for _, p := range s.SortedParticipants() {
		out = append(out, board.ViewerOf(p))
	}
	return out
}

// BenchmarkFanoutNoteAdded: one note.added to a room of 200 participants
// and the facilitator, in the default, anonymous and private modes.
func BenchmarkFanoutNoteAdded(b *testing.B) {
	for _, mode := range []struct {
		name string
		set  board.Settings
	}{
		{"open", board.DefaultSettings()},
		{"anonymous", board.Settings{Anonymous: true, VotesPerParticipant: 5}},
		{"private+anonymous", board.Settings{Anonymous: true, PrivateBrainstorm: true, VotesPerParticipant: 5}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			s := perfBoard(b, 200, 100, mode.set)
			ev := perfAdd(b, s, "p3", perfIDs("f")).Event
			viewers := perfViewers(s)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.ReportMetric(float64(fanout(s, &ev, viewers)), "encodings/op")
			}
		})
	}
}

// BenchmarkFanoutReveal: notes.revealed of 400 notes to 201 viewers (the
// event that carries every note).
func BenchmarkFanoutReveal(b *testing.B) {
	for _, anon := range []bool{false, true} {
		b.Run(fmt.Sprintf("anonymous=%v", anon), func(b *testing.B) {
			s := perfBoard(b, 200, 400, board.Settings{PrivateBrainstorm: true, Anonymous: anon, VotesPerParticipant: 5})
			ch, err := s.Execute("fac", board.Command{Type: "notes.reveal", Ref: "rv"}, perfT0, perfIDs("r"))
			if err != nil {
				b.Fatal(err)
			}
			s.Commit(s.Seq + 1)
			ev := ch.Event
			viewers := perfViewers(s)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.ReportMetric(float64(fanout(s, &ev, viewers)), "encodings/op")
			}
		})
	}
}

// BenchmarkEncodeNoteEvent: Project and json.Marshal of one note event.
func BenchmarkEncodeNoteEvent(b *testing.B) {
	s := perfBoard(b, 20, 10, board.DefaultSettings())
	ev := perfAdd(b, s, "p3", perfIDs("e")).Event
	c := s.ClassOf(&ev, board.Viewer{ID: "p4", Role: board.RoleParticipant})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := json.Marshal(s.Project(&ev, c)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshot: the welcome of a participant joining a 200-person
// board of 1,000 notes (Snapshot and json.Marshal).
func BenchmarkSnapshot(b *testing.B) {
	s := perfBoard(b, 200, 1000, board.DefaultSettings())
	v := board.Viewer{ID: "p9", Role: board.RoleParticipant}
	online := func(string) bool { return true }
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := json.Marshal(s.Snapshot(v, online, perfT0))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

// TestRevealClassesMatchPerViewer guards the shared encodings of events
// that carry every note: for every viewer, in every mode, the bytes of
// its class are exactly the bytes of a projection for that viewer alone.
func TestRevealClassesMatchPerViewer(t *testing.T) {
	for _, set := range []board.Settings{
		{}, {Anonymous: true}, {PrivateBrainstorm: true}, {PrivateBrainstorm: true, Anonymous: true},
	} {
		for _, cmd := range []string{"notes.reveal", "settings.update"} {
			set.VotesPerParticipant = 5
			s := perfBoard(t, 12, 30, set)
			s.Participants["p2"].Role = board.RoleNotulis
			// The facilitator writes notes too.
			ids := perfIDs("x")
			perfAdd(t, s, "fac", ids)
			c := board.Command{Type: cmd, Ref: "r"}
			if cmd == "settings.update" {
				on := !set.Anonymous
				c.Anonymous = &on
			}
			ch, err := s.Execute("fac", c, perfT0, ids)
			if err != nil {
				t.Fatal(err)
			}
			s.Commit(s.Seq + 1)
			ev := ch.Event
			if cmd == "notes.reveal" {
				// Hide one note again, as if it were added after the reveal.
				for _, n := range s.Notes {
					if n.AuthorID == "p3" && set.PrivateBrainstorm {
						n.Revealed = false
						break
					}
				}
			}
			classes := map[board.Class]bool{}
			for _, v := range append(perfViewers(s), board.Viewer{ID: "stranger", Role: board.RoleParticipant}) {
				own := s.ClassOf(&ev, v)
				cl := s.SharedOf(&ev, own)
				classes[cl] = true
				got, _ := json.Marshal(s.Project(&ev, cl))
				want, _ := json.Marshal(s.Project(&ev, own))
				if string(got) != string(want) {
					t.Fatalf("%+v %s: viewer %+v gets\n%s\nwant\n%s", set, cmd, v, got, want)
				}
			}
			t.Logf("%+v %s: %d encodings for %d viewers", set, cmd, len(classes), len(s.Participants)+1)
		}
	}
}
