package server_test

// Boards at the documented caps (issue 9, item 1): a board of 5,000 notes
// of 1,000 worst-case characters opens for new WebSocket and SSE clients,
// and notes.reveal on it reaches every viewer without closing anyone.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"rembuk/board"
	"rembuk/server"
	"rembuk/store"
)

// bigText is 1,000 code points that cost JSON the most: emoji (4 bytes
// each) and the characters escaping used to inflate (<, >, &) or that
// JSON escapes (quote, backslash).
func bigText(i int) string {
	r := []rune(`<>&"\`)
	for len(r) < board.MaxNoteText-6 {
		r = append(r, '😀')
	}
	return string(r) + fmt.Sprintf("#%05d", i)
}

// bigSeed writes n notes into a stopped server's database, the way the
// room would (board decides, the store commits in batches), so a test gets
// a board at the caps in seconds instead of through the rate limiter.
// authors write in turn; privateBrainstorm is switched on first if private.
func bigSeed(tb testing.TB, dbPath, sessionID, facID string, authors []string, n int, private bool) {
	tb.Helper()
	db, err := store.Open(dbPath, testLogger(tb))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	st, _, err := db.LoadState(ctx, sessionID)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	var batch []*board.Change
	exec := func(actor string, cmd board.Command) {
		ch, err := st.Execute(actor, cmd, now, uuid.NewString)
		if err != nil {
			tb.Fatalf("seed %s: %v", cmd.Type, err)
		}
		batch = append(batch, ch)
		if len(batch) == 500 {
			submit(tb, db, sessionID, st, batch)
			batch = batch[:0]
		}
	}
	if private {
		exec(facID, board.Command{Type: "settings.update", PrivateBrainstorm: ptr(true)})
	}
	col := st.SortedColumns()[0].ID
	for i := 0; i < n; i++ {
		exec(authors[i%len(authors)], board.Command{Type: "note.add", ColumnID: col, Text: ptr(bigText(i))})
	}
	submit(tb, db, sessionID, st, batch)
}

func submit(tb testing.TB, db *store.DB, id string, st *board.State, chs []*board.Change) {
	if len(chs) == 0 {
		return
	}
	if err := db.Submit(context.Background(), id, chs); err != nil {
		tb.Fatal(err)
	}
	for _, ch := range chs {
		st.Commit(ch.Event.Seq)
	}
}

// bigBoard starts a server whose session holds n big notes (private while
// not yet revealed), written by two joined participants in turn.
func bigBoard(tb testing.TB, n int, mod ...func(*server.Config)) (*testServer, created, []joined) {
	tb.Helper()
	ts := startServer(tb, "", mod...)
	s := ts.create("kosong")
	ps := []joined{ts.join(s.JoinCode, "Ani"), ts.join(s.JoinCode, "Budi")}
	path := ts.DBPath
	ts.Stop()
	bigSeed(tb, path, s.ID, s.ParticipantID, []string{ps[0].ParticipantID, ps[1].ParticipantID}, n, true)
	return startServer(tb, path, mod...), s, ps
}

// notesOf returns the notes of a welcome's board.
func notesOf(tb testing.TB, welcome map[string]any) []any {
	tb.Helper()
	b, ok := welcome["board"].(map[string]any)
	if !ok {
		tb.Fatalf("welcome without board: %.200v", welcome)
	}
	return b["notes"].([]any)
}

func TestBigBoardOpensAndRevealsOverWebSocketAndSSE(t *testing.T) {
	if testing.Short() {
		t.Skip("a board at the caps: run without -short")
	}
	const n = board.MaxNotes
	t0 := time.Now()
	ts, s, ps := bigBoard(t, n)
	t.Logf("seeded in %v", time.Since(t0))

	start := time.Now()
	fac, w := ts.connect(s.ID, s.FacilitatorToken, nil)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("facilitator's welcome took %v, want under 5 s", d)
	}
	notes := notesOf(t, w)
	if len(notes) != n {
		t.Fatalf("facilitator sees %d notes, want %d", len(notes), n)
	}
	if got := notes[7].(map[string]any)["text"]; got != bigText(7) {
		t.Fatalf("note 7 text arrives changed: %.40q", got)
	}
	seqBefore := num(w["board"].(map[string]any)["seq"])
	ani, w := ts.connect(s.ID, ps[0].Token, nil)
	own := 0
	for _, x := range notesOf(t, w) {
		if x.(map[string]any)["hidden"] != true {
			own++
		}
	}
	if own != n/2 {
		t.Errorf("Ani reads %d notes before the reveal, want her own %d", own, n/2)
	}
	budi, _ := ts.connect(s.ID, ps[1].Token, nil)

	start = time.Now()
	sse := ts.sseOpen(s.ID, ps[1].Token, nil, false)
	if got := len(notesOf(t, sse.expect("welcome"))); got != n {
		t.Errorf("SSE welcome holds %d notes, want %d", got, n)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("SSE welcome took %v, want under 5 s", d)
	}

	t.Logf("opened in %v", time.Since(t0))
	fac.ack("notes.reveal", "reveal", nil)
	t.Logf("revealed in %v", time.Since(t0))
	for name, ev := range map[string]func() map[string]any{"fac": fac.event, "ani": ani.event, "budi": budi.event, "sse": sse.event} {
		e := ev()
		if e["event"] != "notes.revealed" {
			t.Fatalf("%s: got %v, want notes.revealed", name, e["event"])
		}
		got := e["data"].(map[string]any)["notes"].([]any)
		if len(got) != n || got[n-1].(map[string]any)["text"] != bigText(n-1) {
			t.Errorf("%s: reveal carries %d notes or a changed text", name, len(got))
		}
	}
	// Nobody was disconnected: a later event reaches all of them.
	fac.ack("timer.start", "t1", map[string]any{"seconds": 60})
	for name, ev := range map[string]func() map[string]any{"fac": fac.event, "ani": ani.event, "budi": budi.event, "sse": sse.event} {
		if e := ev(); e["event"] != "timer.changed" {
			t.Errorf("%s: got %v after the reveal, want timer.changed", name, e["event"])
		}
	}
	t.Logf("events in %v", time.Since(t0))
	// A resume from before the reveal needs the full board: it comes.
	_, w = ts.connect(s.ID, ps[0].Token, &seqBefore)
	if got := notesOf(t, w); len(got) != n || got[1].(map[string]any)["text"] != bigText(1) {
		t.Errorf("resume: %d notes, want %d revealed", len(got), n)
	}
}
