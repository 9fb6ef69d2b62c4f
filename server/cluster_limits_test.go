package server_test

import (
	"strconv"
	"testing"
	"time"

	"rembuk/server"
)

// Per-address limits hold across the nodes of a cluster (docs/cluster.md,
// "Limits across nodes"): a balancer spreading one address's requests over
// two nodes buys it nothing.

// limitCluster is two nodes over one store sharing clk.
func limitCluster(t *testing.T, clk *testClock, mod ...func(*server.Config)) *testCluster {
	return startCluster(t, 2, 5*time.Second, clusterOpts{mod: func(c *server.Config) {
		clk.use()(c)
		for _, m := range mod {
			m(c)
		}
	}})
}

// retryAfter checks a 429's Retry-After header and returns its seconds.
func retryAfter(t *testing.T, ts *testServer, method, path string, body any) int {
	t.Helper()
	resp, b := ts.raw(method, path, map[string]string{"Content-Type": "application/json"}, body)
	if resp.StatusCode != 429 || !bytesContain(b, `"rate_limited"`) {
		t.Fatalf("%s %s: %d %s, want 429 rate_limited", method, path, resp.StatusCode, b)
	}
	s, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || s < 1 {
		t.Fatalf("Retry-After %q, want whole seconds ≥ 1", resp.Header.Get("Retry-After"))
	}
	return s
}

// TestClusterFailedJoinsAcrossNodes: 10 failed joins alternating between
// two nodes, and the 11th is 429 on either, with Retry-After counted from
// the first failure; a minute later the address may join again.
func TestClusterFailedJoinsAcrossNodes(t *testing.T) {
	clk := newTestClock()
	tc := limitCluster(t, clk)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("kosong")
	for i := range 10 {
		n := tc.nodes[i%2]
		if st, body := n.request("POST", "/api/join", map[string]string{"Content-Type": "application/json"},
			mustJSON(map[string]any{"code": "ZZZZZZ", "name": "Tamu"})); st != 404 {
			t.Fatalf("failed join %d on node %s: %d %s, want 404", i+1, n.id, st, body)
		}
		clk.advance(time.Second)
	}
	for _, n := range []*clusterNode{a, b} {
		if ra := retryAfter(t, n.testServer, "POST", "/api/join", mustJSON(map[string]any{"code": s.JoinCode, "name": "Tamu"})); ra != 50 {
			t.Fatalf("node %s: Retry-After %d, want 50 (the first failure leaves the window in 50 s)", n.id, ra)
		}
	}
	clk.advance(51 * time.Second)
	b.join(s.JoinCode, "Tamu")
}

// TestClusterCreateLimitAcrossNodes: -sessions-per-hour counts the
// sessions an address created on every node.
func TestClusterCreateLimitAcrossNodes(t *testing.T) {
	clk := newTestClock()
	tc := limitCluster(t, clk, func(c *server.Config) { c.SessionsPerHour = 3 })
	for i := range 3 {
		tc.nodes[i%2].create("kosong")
	}
	body := mustJSON(map[string]any{"title": "Lagi", "template": "kosong", "facilitatorName": "F"})
	if ra := retryAfter(t, tc.nodes[1].testServer, "POST", "/api/sessions", body); ra != 3600 {
		t.Fatalf("Retry-After %d, want 3600", ra)
	}
	retryAfter(t, tc.nodes[0].testServer, "POST", "/api/sessions", body)
	clk.advance(time.Hour)
	tc.nodes[0].create("kosong")
}

// TestClusterRejoinAsksAcrossNodes: rejoin asks count per address over
// both nodes, and an ask the receiving node forwards to the session's
// owner counts once, not once on each node.
func TestClusterRejoinAsksAcrossNodes(t *testing.T) {
	clk := newTestClock()
	tc := limitCluster(t, clk)
	a := tc.nodes[0]
	s := a.create("kosong")
	a.join(s.JoinCode, "Budi") // the room loads on a: asks through b are forwarded
	if o := tc.owner(s.ID); o != "a" {
		t.Fatalf("owner %q, want a", o)
	}
	ask := map[string]any{"code": s.JoinCode, "name": "Budi"}
	for i := range 5 { // rejoinAsksPerAddr
		n := tc.nodes[i%2]
		if st, body := n.request("POST", "/api/rejoin", map[string]string{"Content-Type": "application/json"}, mustJSON(ask)); st != 201 {
			t.Fatalf("ask %d on node %s: %d %s, want 201", i+1, n.id, st, body)
		}
	}
	for _, n := range tc.nodes {
		retryAfter(t, n.testServer, "POST", "/api/rejoin", mustJSON(ask))
	}
}
