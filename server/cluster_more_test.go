package server_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A message lost between the owner and a node — in the middle of the
// stream, or the last one — is noticed (the next message's seq, or the
// next heartbeat) and the node's connections resume: they see every seq
// once and in order, without closing.
func TestClusterLostFramesResume(t *testing.T) {
	tc := startCluster(t, 2, 2*time.Second)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, w := a.connect(s.ID, s.FacilitatorToken, nil)
	col := columnIDs(w)[0]
	j := b.join(s.JoinCode, "Ani")
	cp, wp := b.connect(s.ID, j.Token, nil)
	base := num(wp["board"].(map[string]any)["seq"])

	a.lossy.lose("rembuk.node.b", 1) // the event of f1
	fac.ack("note.add", "f1", map[string]any{"columnId": col, "text": "hilang di jalan"})
	last := num(fac.ack("note.add", "f2", map[string]any{"columnId": col, "text": "sesudahnya"})["seq"])
	readUntilSeq(t, cp, last)

	a.lossy.lose("rembuk.node.b", 1) // the last event: nothing follows it
	last = num(fac.ack("note.add", "f3", map[string]any{"columnId": col, "text": "yang terakhir"})["seq"])
	readUntilSeq(t, cp, last)
	checkContiguous(t, "client on b", eventSeqs(t, cp), base+1, last)
	// Its own commands still go through, acked once.
	mine := num(cp.ack("note.add", "p1", map[string]any{"columnId": col, "text": "masih bisa"})["seq"])
	if mine != last+1 || acksOf(cp, "p1") != 1 {
		t.Fatalf("after resuming: seq %d (want %d), %d acks", mine, last+1, acksOf(cp, "p1"))
	}
	select {
	case <-cp.closed:
		t.Fatalf("client closed: %v", cp.closeErr)
	default:
	}
}

// The owner drops the connections of a node that stopped beating: their
// people go offline in the presence list of everyone else.
func TestClusterSilentNodeGoesOffline(t *testing.T) {
	tc := startCluster(t, 2, 2*time.Second)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, _ := a.connect(s.ID, s.FacilitatorToken, nil)
	j := b.join(s.JoinCode, "Ani")
	b.connect(s.ID, j.Token, nil)
	waitPresence(t, fac, j.ParticipantID, true)
	b.Srv.FreezeCluster(true)
	waitPresence(t, fac, j.ParticipantID, false)
}

// An owner whose lease ran out unrenewed stops its room by itself: its
// clients get 1013, and the next connection loads the session again.
func TestClusterUnrenewedLeaseStopsRoom(t *testing.T) {
	ttl := 600 * time.Millisecond
	tc := startCluster(t, 1, ttl)
	a := tc.nodes[0]
	s := a.create("masalah-inovasi")
	fac, _ := a.connect(s.ID, s.FacilitatorToken, nil)
	a.Srv.FreezeCluster(true)
	deadline := time.Now().Add(10 * time.Second)
	for tc.owner(s.ID) != "" {
		if time.Now().After(deadline) {
			t.Fatal("the lease never expired")
		}
		time.Sleep(20 * time.Millisecond) // polling the database for a condition
	}
	a.Srv.FreezeCluster(false)
	if code := fac.waitClose(); code != 1013 {
		t.Fatalf("closed with %d, want 1013", code)
	}
	a.connect(s.ID, s.FacilitatorToken, nil)
	if got := tc.owner(s.ID); got != "a" {
		t.Fatalf("owner after reconnecting: %q, want a", got)
	}
}

// PostgreSQL without a broker: one node that still takes leases, so an
// accidental second node answers 503 (HTTP) and 1013 (WebSocket) for the
// sessions the first one holds.
func TestClusterLeasesWithoutBroker(t *testing.T) {
	tc := startCluster(t, 2, 5*time.Second, clusterOpts{noBroker: true})
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	a.connect(s.ID, s.FacilitatorToken, nil)
	var body map[string]any
	if st := b.do("POST", "/api/sessions/"+s.ID+"/commands", s.FacilitatorToken, map[string]any{"type": "note.add", "ref": "x", "columnId": "c", "text": "t"}, &body); st != 503 {
		t.Fatalf("second node: status %d %v, want 503", st, body)
	}
	w := b.dial(s.ID)
	w.send(map[string]any{"type": "hello", "token": s.FacilitatorToken})
	if f := w.next(); f["code"] != "unavailable" {
		t.Fatalf("second node's hello: %v, want unavailable", f)
	}
	if code := w.waitClose(); code != 1013 {
		t.Fatalf("closed with %d, want 1013", code)
	}
}

// Server-Sent Events on a node that does not own the session: the same
// frames, forwarded.
func TestClusterForwardedSSE(t *testing.T) {
	tc := startCluster(t, 2, 2*time.Second)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, w := a.connect(s.ID, s.FacilitatorToken, nil)
	j := b.join(s.JoinCode, "Ani")
	sse := b.sseOpen(s.ID, j.Token, nil, false)
	sse.expect("welcome")
	col := columnIDs(w)[0]
	seq := num(fac.ack("note.add", "f1", map[string]any{"columnId": col, "text": "lewat SSE"})["seq"])
	ev := sse.event()
	if num(ev["seq"]) != seq || !strings.Contains(ev["event"].(string), "note.added") {
		t.Fatalf("SSE on b got %v, want note.added seq %d", ev, seq)
	}
}

// A lease the node holds for a room it no longer has (the room stopped
// while the database was away, so its release failed) is given back by
// the next renewal, instead of being renewed for ever with nobody
// serving the session.
func TestClusterOrphanedLeaseReleased(t *testing.T) {
	tc := startCluster(t, 2, 2*time.Second)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	if _, _, err := tc.db.AcquireLease(context.Background(), s.ID, "a", 2*time.Second); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for tc.owner(s.ID) == "a" {
		if time.Now().After(deadline) {
			t.Fatal("the orphaned lease was kept")
		}
		time.Sleep(20 * time.Millisecond) // polling the database for a condition
	}
	// Any node may now serve the session.
	b.connect(s.ID, s.FacilitatorToken, nil)
	if got := tc.owner(s.ID); got != "b" {
		t.Fatalf("owner %q, want b", got)
	}
}

// A node that dies and comes back under the same name starts afresh: the
// owner still holds its dead connections for a few beats, and their
// frames must not reach the new run's connections (a new connection's
// first frame is its welcome).
func TestClusterNodeBackUnderSameName(t *testing.T) {
	tc := startCluster(t, 2, 2*time.Second)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, w := a.connect(s.ID, s.FacilitatorToken, nil)
	col := columnIDs(w)[0]
	j := b.join(s.JoinCode, "Ani")
	b.connect(s.ID, j.Token, nil)
	b.Srv.FreezeCluster(true) // dead to the others; its subscription stays, deaf
	b2 := tc.addNode("b")
	w2 := b2.dial(s.ID)
	// Events flow while the new run's connection says hello.
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := 0; i < 30; i++ {
			fac.c.WriteJSON(map[string]any{"type": "note.add", "ref": "g" + string(rune('A'+i)), "columnId": col, "text": "selama hello"})
		}
	}()
	// The page says hello with the last seq it saw.
	w2.send(map[string]any{"type": "hello", "token": j.Token, "since": num(w["board"].(map[string]any)["seq"]) + 1})
	if f := w2.next(); f["type"] != "welcome" {
		t.Fatalf("first frame on the restarted node: %v, want the welcome", f)
	}
	<-sent
	seq := num(fac.ack("note.add", "f1", map[string]any{"columnId": col, "text": "sesudah"})["seq"])
	readUntilSeq(t, w2, seq)
	seqs := eventSeqs(t, w2)
	checkContiguous(t, "the restarted node's client", seqs, seqs[0], seq)
}

// A participant removed by the facilitator on the owner is closed with
// 4003 on the node that holds its socket, as on one node; its detach
// there finds nothing to do (no room is loaded for it on that node).
func TestClusterRemovedOnOtherNode(t *testing.T) {
	tc := startCluster(t, 2, 2*time.Second)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, _ := a.connect(s.ID, s.FacilitatorToken, nil)
	j := b.join(s.JoinCode, "Ani")
	cp, _ := b.connect(s.ID, j.Token, nil)
	_, epoch, _ := tc.db.LeaseOwner(context.Background(), s.ID)
	fac.ack("participant.remove", "r1", map[string]any{"id": j.ParticipantID})
	if code := cp.waitClose(); code != 4003 {
		t.Fatalf("removed participant's socket on b closed with %d, want 4003", code)
	}
	if owner, e, _ := tc.db.LeaseOwner(context.Background(), s.ID); owner != "a" || e != epoch {
		t.Fatalf("lease %s@%d after the removal, want a@%d", owner, e, epoch)
	}
}

// Rejoining from a second device through a node that does not own the
// session: the request, the facilitator's list and decision, the pickup
// and a device link all reach the owner's room, and the approved token
// works on that node.
func TestClusterRejoinOnOtherNode(t *testing.T) {
	tc := startCluster(t, 2, 2*time.Second)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	a.connect(s.ID, s.FacilitatorToken, nil)
	siti := b.join(s.JoinCode, "Siti")
	var ask struct{ SessionID, RequestID string }
	if st := b.do("POST", "/api/rejoin", "", map[string]any{"code": s.JoinCode, "name": "siti"}, &ask); st != 201 || ask.RequestID == "" {
		t.Fatalf("rejoin request on b: %d %+v", st, ask)
	}
	var list struct{ Requests []map[string]any }
	if st := b.do("GET", "/api/sessions/"+s.ID+"/rejoin", s.FacilitatorToken, nil, &list); st != 200 || len(list.Requests) != 1 {
		t.Fatalf("requests listed on b: %d %+v", st, list)
	}
	if st := b.do("POST", "/api/sessions/"+s.ID+"/rejoin/"+ask.RequestID, s.FacilitatorToken, map[string]any{"approve": true}, nil); st != 200 {
		t.Fatalf("approval on b: %d", st)
	}
	var got struct{ Status, ParticipantID, Token string }
	if st := b.do("GET", "/api/sessions/"+s.ID+"/rejoin/"+ask.RequestID, "", nil, &got); st != 200 || got.Status != "approved" || got.ParticipantID != siti.ParticipantID {
		t.Fatalf("pickup on b: %d %+v", st, got)
	}
	b.connect(s.ID, got.Token, nil)
	var link struct{ Secret string }
	if st := b.do("POST", "/api/sessions/"+s.ID+"/devices", siti.Token, nil, &link); st != 201 || link.Secret == "" {
		t.Fatalf("device link on b: %d", st)
	}
	var claim struct{ ParticipantID, Token string }
	if st := b.do("POST", "/api/sessions/"+s.ID+"/devices/claim", "", map[string]any{"secret": link.Secret}, &claim); st != 201 || claim.ParticipantID != siti.ParticipantID {
		t.Fatalf("claim on b: %d %+v", st, claim)
	}
	if got := tc.owner(s.ID); got != "a" {
		t.Fatalf("owner %q, want a throughout", got)
	}
}
