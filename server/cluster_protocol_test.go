package server_test

import (
	"strings"
	"testing"
	"time"

	"rembuk/server"
)

// What the protocol walk through HAProxy (clustertest/protocol_test.go)
// found broken on a cluster, each in two nodes over one store.

// secondDevice makes a device link for tok on n and claims it there; it
// returns the new token.
func secondDevice(t *testing.T, n *clusterNode, sessionID, tok string) string {
	t.Helper()
	var link struct{ Secret string }
	if st := n.do("POST", "/api/sessions/"+sessionID+"/devices", tok, nil, &link); st != 201 {
		t.Fatalf("device link on %s: %d", n.id, st)
	}
	var got struct{ Token string }
	if st := n.do("POST", "/api/sessions/"+sessionID+"/devices/claim", "", map[string]any{"secret": link.Secret}, &got); st != 201 {
		t.Fatalf("claim on %s: %d", n.id, st)
	}
	return got.Token
}

// TestClusterDeviceTokenReadsOnAnyNode: a second device's token reads the
// board and the minutes on a node that does not own the session (that node
// reads the stored state itself and looked the token up among first tokens
// only: 401).
func TestClusterDeviceTokenReadsOnAnyNode(t *testing.T) {
	tc := startCluster(t, 2, 5*time.Second)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("kosong")
	siti := a.join(s.JoinCode, "Siti")
	if o := tc.owner(s.ID); o != "a" {
		t.Fatalf("owner %q, want a", o)
	}
	dev := secondDevice(t, a, s.ID, siti.Token)
	facDev := secondDevice(t, a, s.ID, s.FacilitatorToken)
	var bd struct{ You struct{ ID string } }
	if st := b.do("GET", "/api/sessions/"+s.ID+"/board", dev, nil, &bd); st != 200 || bd.You.ID != siti.ParticipantID {
		t.Fatalf("the device's board on b: %d, you %+v; want 200 as Siti", st, bd.You)
	}
	if st, _ := b.request("GET", "/api/sessions/"+s.ID+"/minutes?format=md", authJSON(facDev), nil); st != 200 {
		t.Fatalf("the facilitator's device's minutes on b: %d, want 200", st)
	}
}

// TestClusterRoomCallOnNonOwnerLogsNoError: a room call (a device link)
// sent first to a node that does not own the session is served by the
// owner and logs no "internal error" on the way.
func TestClusterRoomCallOnNonOwnerLogsNoError(t *testing.T) {
	var logs logBuffer
	tc := startCluster(t, 2, 5*time.Second, clusterOpts{mod: func(c *server.Config) { withLog(&logs)(c) }})
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("kosong")
	siti := a.join(s.JoinCode, "Siti")
	var link struct{ Secret string }
	if st := b.do("POST", "/api/sessions/"+s.ID+"/devices", siti.Token, nil, &link); st != 201 || link.Secret == "" {
		t.Fatalf("device link on b: %d", st)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) {
			t.Errorf("logged: %s", line)
		}
	}
}

// TestClusterDeleteSeenFromAnotherNode: a session deleted through its
// owner closes the sockets another node holds with 1001, as the owner's
// own (docs/protocol.md), and a node that had read the session before
// answers its reads 404 at once (it used to close them 1008, and to retry
// such a read until it timed out).
func TestClusterDeleteSeenFromAnotherNode(t *testing.T) {
	// Production's beat (2 s): an idle proxy is let go only after three,
	// so a read that spins until then shows.
	tc := startCluster(t, 3, 5*time.Second, clusterOpts{mod: func(c *server.Config) {
		c.Cluster.Heartbeat, c.Cluster.RequestTimeout = 2*time.Second, 2*time.Second
	}})
	a, b, c := tc.nodes[0], tc.nodes[1], tc.nodes[2]
	s := a.create("kosong")
	a.connect(s.ID, s.FacilitatorToken, nil) // the room loads on a
	wb, _ := b.connect(s.ID, s.FacilitatorToken, nil)
	if o := tc.owner(s.ID); o != "a" {
		t.Fatalf("owner %q, want a", o)
	}
	c.board(s.ID, s.FacilitatorToken) // c reads through the owner, holding no socket
	if st := a.do("DELETE", "/api/sessions/"+s.ID, s.FacilitatorToken, nil, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	if code := wb.waitClose(); code != 1001 {
		t.Errorf("b's socket closed with %d, want 1001", code)
	}
	for _, n := range []*clusterNode{b, c} {
		start := time.Now()
		if st := n.do("GET", "/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, nil); st != 404 {
			t.Errorf("%s's board read of the deleted session: %d, want 404", n.id, st)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s took %v to answer", n.id, d)
		}
	}
}
