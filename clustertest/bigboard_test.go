package clustertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"rembuk/board"
	"rembuk/internal/testenv"
	pgstore "rembuk/store/postgres"
)

// TestBigBoardThroughHAProxy: a board at the caps (5,000 notes of 1,000
// characters, private until revealed) opens through the balancer for
// WebSocket and SSE clients on every node, and notes.reveal on it reaches
// every one of them without closing anyone (the contract's "Limits"): the
// welcomes and the event carrying every note cross to the other nodes in
// chunks of the broker's largest message.
func TestBigBoardThroughHAProxy(t *testing.T) {
	c := startCluster(t, 3, "-trusted-proxies", "127.0.0.1")
	h := testenv.StartHAProxy(t, c.nodes[0].Addr, c.nodes[1].Addr, c.nodes[2].Addr)
	base := h.URL
	var s struct{ ID, JoinCode, FacilitatorToken, ParticipantID string }
	if st := httpJSON(t, "POST", base+"/api/sessions", "", map[string]any{"title": "Papan Penuh", "template": "kosong", "facilitatorName": "F"}, &s); st != 201 {
		t.Fatalf("create: %d", st)
	}
	start := time.Now()
	seedBig(t, c.pg.dsn, s.ID, s.ParticipantID, board.MaxNotes)
	t.Logf("seeded %d notes in %v", board.MaxNotes, time.Since(start))
	var ani struct{ Token string }
	if st := httpJSON(t, "POST", base+"/api/join", "", map[string]any{"code": s.JoinCode, "name": "Ani"}, &ani); st != 201 {
		t.Fatalf("join: %d", st)
	}

	start = time.Now()
	fac := dialPeer(t, base, s.ID, "fac", s.FacilitatorToken)
	var viewers []*peer
	for i := range 3 {
		viewers = append(viewers, dialPeer(t, base, s.ID, fmt.Sprint("ani-ws", i), ani.Token))
		viewers = append(viewers, openSSE(t, base, s.ID, fmt.Sprint("ani-sse", i), ani.Token, 0))
	}
	for i := range 3 { // the facilitator's welcome holds every text
		viewers = append(viewers, dialPeer(t, base, s.ID, fmt.Sprint("fac-ws", i), s.FacilitatorToken))
	}
	nodes := map[string]bool{}
	for _, v := range viewers {
		nodes[v.node] = true
		w := v.frames()[0]
		if w.Board == nil || len(w.Board.Notes) != board.MaxNotes {
			t.Fatalf("%s's welcome on %s: not the board of %d notes", v.name, v.node, board.MaxNotes)
		}
		if staff := strings.HasPrefix(v.name, "fac"); w.Board.Notes[0].Hidden == staff || (w.Board.Notes[0].Text != nil) != staff {
			t.Fatalf("%s's welcome on %s: first note %+v", v.name, v.node, w.Board.Notes[0])
		}
	}
	if len(nodes) != 3 {
		t.Fatalf("viewers on %v, want every node", nodes)
	}
	t.Logf("%d welcomes of the full board in %v", len(viewers)+1, time.Since(start))

	start = time.Now()
	rev := fac.must("notes.reveal", nil)
	for _, v := range append(viewers, fac) {
		waitFor(t, 60*time.Second, v.name+"'s notes.revealed", func() bool { _, ok := v.event(rev.Seq); return ok })
		e, _ := v.event(rev.Seq)
		if e.Event != "notes.revealed" || strings.Count(string(e.Data), `"text":`) != board.MaxNotes {
			t.Errorf("%s (on %s): %s with %d texts, want every note's", v.name, v.node, e.Event, strings.Count(string(e.Data), `"text":`))
		}
		if v.closed() != 0 {
			t.Errorf("%s (on %s) closed with %d", v.name, v.node, v.closed())
		}
		v.checkStream(rev.Seq)
	}
	t.Logf("notes.revealed at every viewer in %v", time.Since(start))
}

// bigText is 1,000 code points that cost JSON the most (server's
// bigboard_test.go): emoji, 4 bytes each, and characters JSON escapes.
func bigText(i int) string {
	r := []rune(`<>&"\`)
	for len(r) < board.MaxNoteText-6 {
		r = append(r, '😀')
	}
	return string(r) + fmt.Sprintf("#%05d", i)
}

// seedBig writes n private notes of the facilitator into the session's log
// the way a room would (board decides, the store commits), before any room
// has loaded it: a board at the caps in seconds instead of through the
// command rate.
func seedBig(t *testing.T, dsn, sessionID, facID string, n int) {
	t.Helper()
	ctx := context.Background()
	db, err := pgstore.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, _, err := db.LoadState(ctx, sessionID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var batch []*board.Change
	submit := func() {
		first, err := db.Submit(ctx, sessionID, 0, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i := range batch {
			st.Commit(first + int64(i))
		}
		batch = batch[:0]
	}
	exec := func(cmd board.Command) {
		ch, err := st.Execute(facID, cmd, now, uuid.NewString)
		if err != nil {
			t.Fatalf("seed %s: %v", cmd.Type, err)
		}
		if batch = append(batch, ch); len(batch) == 500 {
			submit()
		}
	}
	yes := true
	exec(board.Command{Type: "settings.update", PrivateBrainstorm: &yes})
	col := st.SortedColumns()[0].ID
	for i := range n {
		text := bigText(i)
		exec(board.Command{Type: "note.add", ColumnID: col, Text: &text})
	}
	if len(batch) > 0 {
		submit()
	}
}
