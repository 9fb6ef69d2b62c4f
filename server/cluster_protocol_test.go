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
