package server

// Microbenchmarks of the room's hot path without sockets or disk: a
// command decided, "stored" by an in-memory Store, and fanned out to every
// client's outbox. See docs/performance.md and bench/ for the end-to-end
// load benchmark.

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/google/uuid"

	"rembuk/board"
	"rembuk/store"
)

// perfStore numbers changes as the real store would, in memory.
type perfStore struct {
	Store
	seq map[string]int64
}

func (p *perfStore) Submit(_ context.Context, id string, _ int64, chs []*board.Change) (int64, error) {
	first := p.seq[id] + 1
	p.seq[id] += int64(len(chs))
	return first, nil
}

func (p *perfStore) Expect(string) {}

var perfNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// perfRoom builds a loaded room of n participants, each with one client.
func perfRoom(tb testing.TB, n int, set board.Settings) (*room, []*client) {
	tb.Helper()
	ps := &perfStore{seq: map[string]int64{}}
	h := newHub(roomDeps{store: ps, now: func() time.Time { return perfNow }, newID: uuid.NewString, log: slog.New(slog.DiscardHandler)})
	r := newRoom(h.deps, "sess")
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
	var buf []frame
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
				if i%16 == 15 { // the writers drain their queues long before 32 frames wait
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
				if i%16 == 15 { // the writers drain their queues long before 32 frames wait
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

// TestBatchedWriter drives a real socket through the writer that frames
// its queue itself: frames of every length encoding (<126, <64 KiB, more)
// arrive whole and in order, a client's ping is answered with its payload
// by the writer, and a client's close code is echoed.
func TestBatchedWriter(t *testing.T) {
	_, base := perfServer(t)
	var cr struct{ ID, FacilitatorToken string }
	perfPost(t, base+"/api/sessions", `{"title":"Rapat","template":"kosong","facilitatorName":"Fasilitator"}`, &cr)
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws/sessions/"+cr.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","token":"`+cr.FacilitatorToken+`"}`))
	var welcome struct {
		Board struct {
			Columns []struct{ ID string }
		}
	}
	if err := ws.ReadJSON(&welcome); err != nil || len(welcome.Board.Columns) == 0 {
		t.Fatalf("welcome: %v %+v", err, welcome)
	}
	col := welcome.Board.Columns[0].ID
	// Note texts of 10 bytes, then 900 and 1,000 two-byte runes: frames of
	// about 300 B (7-bit length), 2 KB (16-bit); a welcome of all 32 notes
	// is over 64 KiB (64-bit length).
	texts := []string{strings.Repeat("a", 10), strings.Repeat("ā", 900)}
	for i := 0; i < 30; i++ {
		texts = append(texts, strings.Repeat("ē", 1000))
	}
	for i, text := range texts {
		ws.WriteJSON(map[string]string{"type": "note.add", "ref": fmt.Sprint("r", i), "columnId": col, "text": text})
	}
	pongs := make(chan string, 1)
	ws.SetPongHandler(func(s string) error { pongs <- s; return nil })
	ws.WriteControl(websocket.PingMessage, []byte("apa kabar"), time.Now().Add(time.Second))
	events := 0
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for events < len(texts) {
		var f struct {
			Type, Event string
			Seq         int64
			Data        struct{ Note struct{ Text string } }
		}
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatalf("after %d events: %v", events, err)
		}
		if f.Type == "event" && f.Event == "note.added" {
			if f.Data.Note.Text != texts[events] {
				t.Fatalf("event %d: text of %d bytes, want %d", events, len(f.Data.Note.Text), len(texts[events]))
			}
			events++
		}
	}
	select {
	case p := <-pongs:
		if p != "apa kabar" {
			t.Errorf("pong payload %q", p)
		}
	case <-time.After(5 * time.Second):
		t.Error("no pong")
	}
	// A second connection's welcome holds the 32 notes: one frame over 64 KiB.
	ws2, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws/sessions/"+cr.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws2.Close()
	ws2.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","token":"`+cr.FacilitatorToken+`"}`))
	_, raw, err := ws2.ReadMessage()
	if err != nil || len(raw) <= 64<<10 || !strings.Contains(string(raw), texts[31]) {
		t.Fatalf("big welcome: %d bytes, %v", len(raw), err)
	}
	ws2.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4321, ""), time.Now().Add(time.Second))
	ws2.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := ws2.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, 4321) {
				t.Errorf("close echo: %v, want 4321", err)
			}
			break
		}
	}
}

// perfServer serves a real store on 127.0.0.1.
func perfServer(t *testing.T) (*Server, string) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "perf.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Config{Store: db})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		db.Close()
	})
	return srv, "http://" + ln.Addr().String()
}

func perfPost(t *testing.T, url, body string, out any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

// TestRememberKeepsTheWindow: after many more events than the in-memory
// window, a resume from within the last replayInMemory events is served
// from memory (the room here has no log to read), in order.
func TestRememberKeepsTheWindow(t *testing.T) {
	r, _ := perfRoom(t, 1, board.DefaultSettings())
	r.deps.store = nil // a read of the log would panic
	for seq := int64(1); seq <= 5*replayInMemory+17; seq++ {
		r.remember(board.Event{Seq: seq, Name: "timer.stopped"})
		r.st.Commit(seq)
		if len(r.recent) > 2*replayInMemory {
			t.Fatalf("%d events kept at seq %d, want at most %d", len(r.recent), seq, 2*replayInMemory)
		}
		if seq < replayInMemory {
			continue
		}
		since := seq - replayInMemory
		evs, ok := r.eventsSince(since)
		if !ok || len(evs) != replayInMemory || evs[0].Seq != since+1 || evs[len(evs)-1].Seq != seq {
			t.Fatalf("at seq %d: eventsSince(%d) = %d events (%v), want %d from %d", seq, since, len(evs), ok, replayInMemory, since+1)
		}
	}
}

// BenchmarkRemember: keeping one more event in a room's resume window.
func BenchmarkRemember(b *testing.B) {
	r, _ := perfRoom(b, 1, board.DefaultSettings())
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.remember(board.Event{Seq: int64(i + 1), Name: "timer.stopped"})
	}
}
