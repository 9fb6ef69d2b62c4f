package clustertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"rembuk/internal/testenv"
)

// TestProtocolThroughHAProxy walks the public contract (/work/shared's
// CONTRACT.md, docs/protocol.md) through HAProxy in front of three nodes on
// PostgreSQL and nats-server: every HTTP request and every socket lands
// wherever round robin sends it, so the people of one session sit on
// different nodes, their commands are forwarded to the session's owner, and
// reads, minutes, the event stream and the per-address limits are served by
// any node. The nodes trust the balancer's X-Forwarded-For.
func TestProtocolThroughHAProxy(t *testing.T) {
	c := startCluster(t, 3, "-trusted-proxies", "127.0.0.1")
	h := testenv.StartHAProxy(t, c.nodes[0].Addr, c.nodes[1].Addr, c.nodes[2].Addr)
	base := h.URL
	defer func() {
		if t.Failed() {
			t.Logf("haproxy log:\n%s", h.Tail(3000))
		}
	}()
	for range 3 {
		var hz struct{ Status string }
		if st := httpJSON(t, "GET", base+"/healthz", "", nil, &hz); st != 200 || hz.Status != "ok" {
			t.Fatalf("/healthz: %d %+v", st, hz)
		}
	}

	// A session and its people, each request to the next node.
	var s struct{ ID, JoinCode, FacilitatorToken, ParticipantID string }
	if st := httpJSON(t, "POST", base+"/api/sessions", "", map[string]any{"title": "Protokol Klaster", "template": "masalah-inovasi",
		"facilitatorName": "Fasilitator", "place": "Aula", "agenda": "Uji klaster"}, &s); st != 201 || s.ID == "" {
		t.Fatalf("create: %d %+v", st, s)
	}
	type person struct{ ID, Token string }
	join := func(name string) person {
		t.Helper()
		var j struct{ SessionID, ParticipantID, Token string }
		if st := httpJSON(t, "POST", base+"/api/join", "", map[string]any{"code": strings.ToLower(s.JoinCode), "name": name, "unit": "Subbag Umum"}, &j); st != 201 || j.SessionID != s.ID {
			t.Fatalf("join %s: %d %+v", name, st, j)
		}
		return person{j.ParticipantID, j.Token}
	}
	ani, budi, citra := join("Ani"), join("Budi"), join("Citra")

	// Sockets through the balancer: five in a row over three nodes puts
	// the people of the session on different nodes, Citra on two.
	fac := dialPeer(t, base, s.ID, "fac", s.FacilitatorToken)
	pa := dialPeer(t, base, s.ID, "ani", ani.Token)
	pb := dialPeer(t, base, s.ID, "budi", budi.Token)
	pc := dialPeer(t, base, s.ID, "citra", citra.Token)
	pc2 := dialPeer(t, base, s.ID, "citra2", citra.Token)
	all := []*peer{fac, pa, pb, pc, pc2}
	on := map[string]bool{}
	for _, p := range all {
		on[p.node] = true
	}
	if len(on) != 3 || pc.node == pc2.node || pc.node == "" {
		t.Fatalf("round robin put the sockets on %v (citra's on %q and %q), want all three nodes, citra's two apart", on, pc.node, pc2.node)
	}
	t.Logf("sockets: fac %s, ani %s, budi %s, citra %s and %s", fac.node, pa.node, pb.node, pc.node, pc2.node)
	badHello(t, base, s.ID)
	// Presence: the owner's room counts every node's sockets.
	waitFor(t, 10*time.Second, "everyone online in budi's presence", func() bool {
		on := pb.online()
		return on[s.ParticipantID] && on[ani.ID] && on[budi.ID] && on[citra.ID]
	})
	cols := map[string]string{}
	for _, col := range fac.frames()[0].Board.Columns {
		cols[col.Kind] = col.ID
	}
	if cols["problem"] == "" || cols["innovation"] == "" || cols["cause"] == "" {
		t.Fatalf("columns of masalah-inovasi: %v", cols)
	}

	// Private brainstorm: others see neither text nor author until revealed.
	fac.must("settings.update", map[string]any{"privateBrainstorm": true})
	n1 := pa.must("note.add", map[string]any{"columnId": cols["problem"], "text": "Antrean loket panjang"}).ID
	n2 := pb.must("note.add", map[string]any{"columnId": cols["problem"], "text": "Formulir membingungkan"}).ID
	n3 := pc.must("note.add", map[string]any{"columnId": cols["innovation"], "text": "Antrean daring"}).ID
	seqN1 := ackSeq(t, pa, n1)
	for _, p := range all {
		p.waitSeq(seqN1)
	}
	if e, _ := pb.event(seqN1); !strings.Contains(string(e.Data), `"hidden":true`) || strings.Contains(string(e.Data), "Antrean loket") || e.ActorID != nil {
		t.Errorf("budi's note.added of ani's private note: %s actor %v, want the hidden form", e.Data, e.ActorID)
	}
	if e, _ := pc2.event(seqN1); strings.Contains(string(e.Data), "Antrean loket") {
		t.Errorf("citra's second socket got ani's private text: %s", e.Data)
	}
	if e, _ := fac.event(seqN1); !strings.Contains(string(e.Data), "Antrean loket") {
		t.Errorf("the facilitator's note.added: %s, want the text", e.Data)
	}
	for i := range 3 { // three reads: three nodes
		bd := getBoard(t, base, s.ID, budi.Token)
		if n := noteIn(bd, n1); !n.Hidden || n.Text != nil || n.AuthorID != nil {
			t.Errorf("read %d: budi's board shows ani's private note as %+v", i, n)
		}
		if n := noteIn(getBoard(t, base, s.ID, ani.Token), n1); n.Text == nil || *n.Text != "Antrean loket panjang" {
			t.Errorf("read %d: ani's own note on her board: %+v", i, n)
		}
	}
	fac.must("notes.reveal", nil)
	if n := noteIn(getBoard(t, base, s.ID, budi.Token), n1); n.Hidden || n.Text == nil || n.AuthorID == nil || *n.AuthorID != ani.ID {
		t.Errorf("after notes.reveal budi sees %+v, want the text and ani as author", n)
	}

	// Anonymous: nobody else sees the author, in events or on the board.
	fac.must("settings.update", map[string]any{"privateBrainstorm": false, "anonymous": true})
	a4 := pa.must("note.add", map[string]any{"columnId": cols["problem"], "text": "Petugas kurang"})
	pb.waitSeq(a4.Seq)
	if e, _ := pb.event(a4.Seq); e.ActorID != nil || strings.Contains(string(e.Data), ani.ID) {
		t.Errorf("budi's note.added of an anonymous note: %s actor %v", e.Data, e.ActorID)
	}
	for range 3 {
		if n := noteIn(getBoard(t, base, s.ID, budi.Token), a4.ID); n.AuthorID != nil || n.Text == nil {
			t.Errorf("budi's board shows the anonymous note as %+v, want its text and no authorId", n)
		}
	}
	fac.must("settings.update", map[string]any{"anonymous": false})

	// One ref, one change: the same ref from Citra's other socket (another
	// node) and over HTTP is acked again with the first seq and id.
	first := pc.sendRef("dup-1", "note.add", map[string]any{"columnId": cols["problem"], "text": "Parkir sempit"})
	again := pc2.sendRef("dup-1", "note.add", map[string]any{"columnId": cols["problem"], "text": "Parkir sempit"})
	var hdup struct {
		Type, ID string
		Seq      int64
	}
	st := httpJSON(t, "POST", base+"/api/sessions/"+s.ID+"/commands", citra.Token, map[string]any{"type": "note.add", "ref": "dup-1", "columnId": cols["problem"], "text": "Parkir sempit"}, &hdup)
	if first.Type != "ack" || again.Type != "ack" || again.Seq != first.Seq || again.ID != first.ID || st != 200 || hdup.Seq != first.Seq || hdup.ID != first.ID {
		t.Errorf("one ref thrice: %+v, %+v, HTTP %d %+v; want the first ack each time", first, again, st, hdup)
	}

	// The command table, from people on different nodes.
	pa.must("note.update", map[string]any{"id": n1, "text": "Antrean loket sangat panjang"})
	pb.must("note.move", map[string]any{"id": n2, "columnId": cols["cause"]})
	pb.must("note.delete", map[string]any{"id": n2})
	col := fac.must("column.add", map[string]any{"title": "Catatan Lain", "kind": "other"}).ID
	if col == "" {
		t.Error("column.add acked without an id")
	}
	pc.must("link.add", map[string]any{"fromId": n3, "toId": n1})
	fac.must("action.add", map[string]any{"text": "Tambah loket", "owner": "Kasubbag", "due": "2026-12-31", "targetId": n1})
	fac.must("record.set", map[string]any{"targetId": nil, "text": "Antrean jadi prioritas"})
	fac.must("participant.setRole", map[string]any{"id": budi.ID, "role": "notulis"})
	pb.must("record.set", map[string]any{"targetId": n1, "text": "Dicatat notulis"})
	fac.must("timer.start", map[string]any{"seconds": 300})
	fac.must("spotlight.set", map[string]any{"targetId": n1})
	fac.must("phase.set", map[string]any{"phase": "group"})
	pa.must("group.add", map[string]any{"columnId": cols["problem"], "title": "Antrean", "noteIds": []string{n1, a4.ID}})
	fac.must("settings.update", map[string]any{"votesPerParticipant": 2})
	if f := pb.send("vote.cast", map[string]any{"targetId": n1}); f.Code != "wrong_phase" {
		t.Errorf("a vote in phase group: %+v, want wrong_phase", f)
	}
	fac.must("phase.set", map[string]any{"phase": "vote"})
	vote := pb.must("vote.cast", map[string]any{"targetId": n1})
	pa.waitSeq(vote.Seq)
	if e, _ := pb.event(vote.Seq); !strings.Contains(string(e.Data), `"myVotes":1`) {
		t.Errorf("budi's own vote.changed: %s, want myVotes 1", e.Data)
	}
	if e, _ := pa.event(vote.Seq); strings.Contains(string(e.Data), `"myVotes":1`) {
		t.Errorf("ani's vote.changed of budi's vote: %s, want no myVotes of budi's", e.Data)
	}
	pc2.must("usg.score", map[string]any{"targetId": n1, "u": 5, "s": 4, "g": 3})

	// The HTTP command path, through whichever node.
	var hack struct{ Type, Ref string }
	if st := httpJSON(t, "POST", base+"/api/sessions/"+s.ID+"/commands", budi.Token, map[string]any{"type": "vote.cast", "ref": "http-1", "targetId": n1}, &hack); st != 200 || hack.Type != "ack" {
		t.Fatalf("POST commands: %d %+v", st, hack)
	}
	var herr struct{ Type, Code string }
	if st := httpJSON(t, "POST", base+"/api/sessions/"+s.ID+"/commands", budi.Token, map[string]any{"type": "vote.cast", "ref": "http-2", "targetId": n1}, &herr); st != 409 || herr.Code != "budget_exceeded" {
		t.Errorf("a third vote of two: %d %+v, want 409 budget_exceeded", st, herr)
	}
	if bd := getBoard(t, base, s.ID, budi.Token); bd.You.VotesLeft != 0 || bd.You.Role != "notulis" || noteIn(bd, n1).Votes != 2 {
		t.Errorf("budi's board after two votes: you %+v, votes on n1 %d", bd.You, noteIn(bd, n1).Votes)
	}

	// The event stream, and a WebSocket resuming, from every node, from a
	// seq in the past (after it only events that replay one by one: no
	// notes.reveal).
	mid := vote.Seq
	var streams []*peer
	for i := range 3 {
		streams = append(streams, openSSE(t, base, s.ID, fmt.Sprint("sse", i), ani.Token, mid))
		streams = append(streams, dialPeerSince(t, base, s.ID, fmt.Sprint("resume", i), ani.Token, mid))
	}
	spot := fac.must("spotlight.set", map[string]any{"targetId": nil})
	from := map[string]bool{}
	for _, p := range streams {
		p.waitSeq(spot.Seq)
		if w := p.frames()[0]; w.Board != nil || len(w.Events) == 0 {
			t.Errorf("%s's welcome from seq %d (node %s): %d events, board %v; want the events after it", p.name, mid, p.node, len(w.Events), w.Board != nil)
		}
		p.checkStream(spot.Seq)
		from[p.node] = true
		if p.ws != nil {
			p.ws.Close()
		} else {
			p.body.Close()
		}
	}
	if len(from) != 3 {
		t.Errorf("streams and resumes served by %v, want every node", from)
	}

	checkMinutes(t, base, s.ID, s.FacilitatorToken, budi.Token, ani.Token)

	// Removing Citra closes both her sockets with 4003, whatever node
	// holds them, and ends her event streams on every node.
	var citraSSE []*peer
	for i := range 3 {
		citraSSE = append(citraSSE, openSSE(t, base, s.ID, fmt.Sprint("citra-sse", i), citra.Token, 0))
	}
	rm := fac.must("participant.remove", map[string]any{"id": citra.ID})
	for _, p := range citraSSE {
		waitFor(t, 10*time.Second, p.name+" (on "+p.node+") ended", func() bool { return p.closed() != 0 })
		p.checkStream(0)
	}
	for _, p := range []*peer{pc, pc2} {
		waitFor(t, 10*time.Second, p.name+"'s socket closed", func() bool { return p.closed() != 0 })
		if p.closed() != 4003 {
			t.Errorf("%s closed with %d, want 4003", p.name, p.closed())
		}
		p.checkStream(0)
	}
	waitFor(t, 10*time.Second, "citra offline in ani's presence", func() bool { return !pa.online()[citra.ID] })
	for range 3 { // a removed person's hello is refused on every node
		if f, code := helloOnce(t, base, s.ID, citra.Token); f.Code != "unauthorized" || code != 1008 {
			t.Errorf("citra's hello after removal: %+v, close %d; want unauthorized and 1008", f, code)
		}
	}
	if st := httpJSON(t, "GET", base+"/api/sessions/"+s.ID+"/board", citra.Token, nil, nil); st != 401 && st != 403 {
		t.Errorf("a removed participant's board: %d, want 401 or 403", st)
	}

	// Closing: every later command is closed, joining is 409.
	end := fac.must("session.close", nil)
	for _, p := range []*peer{fac, pa, pb} {
		p.waitSeq(end.Seq)
		p.checkStream(end.Seq)
	}
	if rm.Seq >= end.Seq {
		t.Errorf("participant.remove at %d, session.close at %d", rm.Seq, end.Seq)
	}
	if f := fac.send("note.add", map[string]any{"columnId": cols["problem"], "text": "Terlambat"}); f.Code != "closed" {
		t.Errorf("a command after session.close: %+v, want closed", f)
	}
	if f := pa.send("note.add", map[string]any{"columnId": cols["problem"], "text": "Terlambat"}); f.Code != "closed" {
		t.Errorf("a participant's command after session.close: %+v, want closed", f)
	}
	var herr2 struct{ Type, Code string }
	if st := httpJSON(t, "POST", base+"/api/sessions/"+s.ID+"/commands", ani.Token, map[string]any{"type": "note.add", "ref": "http-late", "columnId": cols["problem"], "text": "Terlambat"}, &herr2); st != 409 || herr2.Code != "closed" {
		t.Errorf("an HTTP command after session.close: %d %+v, want 409 closed", st, herr2)
	}
	if st := httpJSON(t, "POST", base+"/api/join", "", map[string]any{"code": s.JoinCode, "name": "Dedi"}, nil); st != 409 {
		t.Errorf("join a closed session: %d, want 409", st)
	}
	// The log in PostgreSQL: 1..seq without a gap, ending at the close.
	seqs, evs, err := c.log.snapshot([]string{s.ID})
	if err != nil {
		t.Fatal(err)
	}
	if seqs[s.ID] != end.Seq {
		t.Errorf("sessions.seq %d, want %d (session.close's)", seqs[s.ID], end.Seq)
	}
	checkSession(t, s.ID, seqs[s.ID], evs[s.ID])

	walkEdges(t, base)
	walkExtras(t, base)
	failed := 3 + walkDevices(t, base) // walkEdges's joins with a replaced code
	checkFailedJoins(t, base, failed)
	if st := httpJSON(t, "GET", base+"/healthz", "", nil, nil); st != 200 {
		t.Errorf("/healthz at the end: %d", st)
	}
	for _, nd := range c.nodes {
		for _, line := range strings.Split(nd.Logs(), "\n") {
			if strings.Contains(line, `"level":"ERROR"`) {
				t.Errorf("%s logged an error: %s", nd.Name, line)
			}
		}
	}
}

// ackSeq is the seq of the ack that created id.
func ackSeq(t *testing.T, p *peer, id string) int64 {
	for _, f := range p.frames() {
		if f.Type == "ack" && f.ID == id {
			return f.Seq
		}
	}
	t.Fatalf("%s has no ack creating %s", p.name, id)
	return 0
}

func getBoard(t *testing.T, base, session, token string) walkBoard {
	t.Helper()
	var bd walkBoard
	if st := httpJSON(t, "GET", base+"/api/sessions/"+session+"/board", token, nil, &bd); st != 200 {
		t.Fatalf("board: %d", st)
	}
	return bd
}

func noteIn(bd walkBoard, id string) (n struct {
	ID       string  `json:"id"`
	Text     *string `json:"text"`
	AuthorID *string `json:"authorId"`
	Hidden   bool    `json:"hidden"`
	GroupID  *string `json:"groupId"`
	Votes    int     `json:"votes"`
}) {
	for _, x := range bd.Notes {
		if x.ID == id {
			return x
		}
	}
	return n
}
