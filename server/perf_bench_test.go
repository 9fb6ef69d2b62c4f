package server

// Microbenchmarks of the room's hot path without sockets or disk: a
// command decided, "stored" by an in-memory Store, and fanned out to every
// client's outbox. See docs/performance.md and bench/ for the end-to-end
// load benchmark.

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"rembuk/board"
)

// perfStore numbers changes as the real store would, in memory.
type perfStore struct {
	Store
	seq map[string]int64
}

func (p *perfStore) Submit(_ context.Context, id string, chs []*board.Change) error {
	for _, c := range chs {
		p.seq[id]++
		c.Event.Seq = p.seq[id]
	}
	return nil
}

var perfNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// perfRoom builds a loaded room of n participants, each with one client.
func perfRoom(tb testing.TB, n int, set board.Settings) (*room, []*client) {
	tb.Helper()
	ps := &perfStore{seq: map[string]int64{}}
	srv := &Server{cfg: Config{Clock: func() time.Time { return perfNow }}, store: ps, log: slog.New(slog.DiscardHandler)}
	srv.hub = newHub(srv)
	r := newRoom(srv, "sess")
	r.st = board.NewState(board.Session{ID: "sess", Title: "Rapat", Template: "kosong", Phase: board.PhaseBrainstorm,
		Settings: set, CreatedAt: perfNow})
	r.st.Load(board.EntColumn, &board.Column{ID: "col1", Title: "Catatan", Kind: board.KindOther, Position: 1})
	r.refs, r.byToken = map[string]board.Ack{}, map[string]string{}
	var clients []*client
	for i := 0; i < n; i++ {
		role := board.RoleParticipant
		if i == 0 {
			role = board.RoleFacilitator
		}
		p := board.Participant{ID: fmt.Sprintf("%08d-0000-4000-8000-00000000beef", i), Name: fmt.Sprintf("Peserta %d", i), Role: role, JoinedAt: perfNow}
		if _, err := r.st.Join(p); err != nil {
			tb.Fatal(err)
		}
		r.st.Commit(r.st.Seq + 1)
		cl := &client{participantID: p.ID, viewer: board.ViewerOf(r.st.Participants[p.ID]), out: newOutbox()}
		r.clients[cl] = struct{}{}
		r.online[p.ID]++
		clients = append(clients, cl)
	}
	return r, clients
}

// drain empties every outbox, as the socket writers would.
func drain(clients []*client) (frames int) {
	var buf [][]byte
	for _, cl := range clients {
		buf, _, _ = cl.out.take(buf)
		frames += len(buf)
	}
	return frames
}

// BenchmarkRoomNoteAdd: one note.add through the room (decide, store in
// memory, ack, project once per class, queue to every client). The
// allocations per op must not grow with the number of clients.
func BenchmarkRoomNoteAdd(b *testing.B) {
	for _, n := range []int{20, 200} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			r, clients := perfRoom(b, n, board.DefaultSettings())
			text := "Antrean loket pelayanan terlalu panjang pada jam sibuk"
			batch := make([]any, 1)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i > 0 && i%4000 == 0 {
					b.StopTimer()
					r, clients = perfRoom(b, n, board.DefaultSettings())
					b.StartTimer()
				}
				cl := clients[i%n]
				batch[0] = commandMsg{cl: cl, cmd: board.Command{Type: "note.add", Ref: fmt.Sprint(i), ColumnID: "col1", Text: &text}}
				r.handle(batch)
				if i%64 == 63 {
					b.StopTimer()
					drain(clients)
					b.StartTimer()
				}
			}
		})
	}
}

// BenchmarkBroadcast: fan-out of one stored note.added event alone.
func BenchmarkBroadcast(b *testing.B) {
	for _, n := range []int{20, 200} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			r, clients := perfRoom(b, n, board.DefaultSettings())
			text := "Antrean loket pelayanan terlalu panjang pada jam sibuk"
			ch, err := r.st.Execute(clients[3].participantID, board.Command{Type: "note.add", Ref: "x", ColumnID: "col1", Text: &text}, perfNow,
				func() string { return "note-1" })
			if err != nil {
				b.Fatal(err)
			}
			ev := ch.Event
			ev.Seq = r.st.Seq + 1
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r.broadcast(&ev)
				if i%64 == 63 {
					b.StopTimer()
					drain(clients)
					b.StartTimer()
				}
			}
		})
	}
}

// BenchmarkRoomPaste: one batch of 500 note.add from 25 clients of a
// 50-person room, as the room drains it from its inbox during W3's paste
// (decide all, one Submit, then ack and fan out each). One op is one
// note of the batch.
func BenchmarkRoomPaste(b *testing.B) {
	const n, batchSize = 50, 500
	r, clients := perfRoom(b, n, board.DefaultSettings())
	text := "Antrean loket pelayanan terlalu panjang pada jam sibuk"
	batch := make([]any, batchSize)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += batchSize {
		if len(r.st.Notes)+batchSize > board.MaxNotes {
			b.StopTimer()
			r, clients = perfRoom(b, n, board.DefaultSettings())
			b.StartTimer()
		}
		for j := range batch {
			batch[j] = commandMsg{cl: clients[j%25], cmd: board.Command{Type: "note.add", Ref: fmt.Sprint(i + j),
				ColumnID: "col1", Text: &text}}
		}
		r.handle(batch)
		b.StopTimer()
		drain(clients)
		b.StartTimer()
	}
}
