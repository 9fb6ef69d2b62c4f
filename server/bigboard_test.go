package server_test

// Boards at the documented caps (issue 9, item 1): a board of 5,000 notes
// of 1,000 worst-case characters opens for new WebSocket and SSE clients,
// and notes.reveal on it reaches every viewer without closing anyone.

import (
	"context"
	"encoding/json"
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
	first, err := db.Submit(context.Background(), id, 0, chs)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range chs {
		st.Commit(first + int64(i))
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

// bigWait receives frames until one satisfies want and returns it, raw and
// decoded. Frames of a board at the caps are ~22 MB: the harness's 5 s per
// frame is no measure of them on a loaded machine, so this waits up to a
// minute; the test logs how long each took (the 5 s target is measured,
// not asserted: see docs/operations.md).
func bigWait(tb testing.TB, frames <-chan []byte, closed <-chan struct{}, want func(map[string]any) bool) ([]byte, map[string]any) {
	tb.Helper()
	deadline := time.After(time.Minute)
	for {
		select {
		case f := <-frames:
			var m map[string]any
			if err := json.Unmarshal(f, &m); err != nil {
				tb.Fatalf("frame %.100q: %v", f, err)
			}
			if want(m) {
				return f, m
			}
		case <-closed:
			select {
			case f := <-frames:
				var m map[string]any
				json.Unmarshal(f, &m)
				if want(m) {
					return f, m
				}
				continue
			default:
			}
			tb.Fatal("connection closed while waiting for a frame")
		case <-deadline:
			tb.Fatal("no such frame within a minute")
		}
	}
}

func isType(typ string) func(map[string]any) bool {
	return func(m map[string]any) bool { return m["type"] == typ }
}

// bigConn is a WebSocket or SSE client of the big-board test.
type bigConn struct {
	name   string
	frames <-chan []byte
	closed <-chan struct{}
}

func (ts *testServer) bigWS(tb testing.TB, name, sessionID string, hello map[string]any) (*wsClient, bigConn, map[string]any) {
	tb.Helper()
	w := ts.dial(sessionID)
	hello["type"] = "hello"
	start := time.Now()
	w.send(hello)
	c := bigConn{name, w.frames, w.closed}
	_, m := bigWait(tb, c.frames, c.closed, isType("welcome"))
	tb.Logf("%s: welcome in %v", name, time.Since(start).Round(time.Millisecond))
	return w, c, m
}

func TestBigBoardOpensAndRevealsOverWebSocketAndSSE(t *testing.T) {
	if testing.Short() {
		t.Skip("a board at the caps: run without -short")
	}
	const n = board.MaxNotes
	t0 := time.Now()
	ts, s, ps := bigBoard(t, n)
	t.Logf("seeded in %v", time.Since(t0).Round(time.Millisecond))

	fac, cfac, w := ts.bigWS(t, "facilitator", s.ID, map[string]any{"token": s.FacilitatorToken})
	notes := notesOf(t, w)
	if len(notes) != n {
		t.Fatalf("facilitator sees %d notes, want %d", len(notes), n)
	}
	if got := notes[7].(map[string]any)["text"]; got != bigText(7) {
		t.Fatalf("note 7 text arrives changed: %.40q", got)
	}
	seqBefore := num(w["board"].(map[string]any)["seq"])
	_, cani, w := ts.bigWS(t, "Ani", s.ID, map[string]any{"token": ps[0].Token})
	own := 0
	for _, x := range notesOf(t, w) {
		if x.(map[string]any)["hidden"] != true {
			own++
		}
	}
	if own != n/2 {
		t.Errorf("Ani reads %d notes before the reveal, want her own %d", own, n/2)
	}
	_, cbudi, _ := ts.bigWS(t, "Budi", s.ID, map[string]any{"token": ps[1].Token})

	start := time.Now()
	sse := ts.sseOpen(s.ID, ps[1].Token, nil, false)
	csse := bigConn{"Budi (SSE)", sse.frames, sse.done}
	if _, m := bigWait(t, csse.frames, csse.closed, isType("welcome")); len(notesOf(t, m)) != n {
		t.Errorf("SSE welcome holds %d notes, want %d", len(notesOf(t, m)), n)
	}
	t.Logf("SSE: welcome in %v", time.Since(start).Round(time.Millisecond))

	// A client that asks for progress learns the welcome's exact size first.
	pw := ts.dial(s.ID)
	pw.send(map[string]any{"type": "hello", "token": ps[0].Token, "progress": true})
	_, f := bigWait(t, pw.frames, pw.closed, func(map[string]any) bool { return true })
	if f["type"] != "loading" || num(f["bytes"]) < 1<<20 {
		t.Fatalf("got %.100v, want a loading frame", f)
	}
	if raw, _ := bigWait(t, pw.frames, pw.closed, isType("welcome")); int64(len(raw)) != num(f["bytes"]) {
		t.Errorf("loading announced %v bytes, the welcome has %d", f["bytes"], len(raw))
	}
	// SSE asks with ?progress=1 (put after the token here).
	psse := ts.sseOpen(s.ID, ps[0].Token+"&progress=1", nil, true)
	if _, f := bigWait(t, psse.frames, psse.done, func(map[string]any) bool { return true }); f["type"] != "loading" {
		t.Errorf("SSE with progress: got %.100v, want a loading frame", f)
	}
	psse.close()

	start = time.Now()
	fac.send(map[string]any{"type": "notes.reveal", "ref": "reveal"})
	viewers := []bigConn{cfac, cani, cbudi, csse}
	for _, c := range viewers {
		_, e := bigWait(t, c.frames, c.closed, isType("event"))
		if e["event"] != "notes.revealed" {
			t.Fatalf("%s: got %v, want notes.revealed", c.name, e["event"])
		}
		got := e["data"].(map[string]any)["notes"].([]any)
		if len(got) != n || got[n-1].(map[string]any)["text"] != bigText(n-1) {
			t.Errorf("%s: reveal carries %d notes or a changed text", c.name, len(got))
		}
		t.Logf("%s: notes.revealed after %v", c.name, time.Since(start).Round(time.Millisecond))
	}
	if _, a := bigWait(t, cfac.frames, cfac.closed, func(m map[string]any) bool { return m["ref"] == "reveal" }); a["type"] != "ack" {
		t.Fatalf("reveal: %v, want ack", a)
	}
	// Nobody was disconnected: a later event reaches all of them.
	fac.send(map[string]any{"type": "timer.start", "ref": "t1", "seconds": 60})
	for _, c := range viewers {
		if _, e := bigWait(t, c.frames, c.closed, isType("event")); e["event"] != "timer.changed" {
			t.Errorf("%s: got %v after the reveal, want timer.changed", c.name, e["event"])
		}
	}
	// A resume from before the reveal needs the full board: it comes.
	_, _, w = ts.bigWS(t, "Ani resuming", s.ID, map[string]any{"token": ps[0].Token, "since": seqBefore})
	if got := notesOf(t, w); len(got) != n || got[1].(map[string]any)["text"] != bigText(1) {
		t.Errorf("resume: %d notes, want %d revealed", len(got), n)
	}
}
