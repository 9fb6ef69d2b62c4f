package main

import (
	"testing"

	"rembuk/internal/testenv"
)

// TestSmokeTwoNodes is TestSmoke for -cluster: two nodes on a throwaway
// PostgreSQL and nats-server, the sessions owned by node A (the rig checks
// the leases), every client on node B. It asserts delivery only; without
// PostgreSQL or nats-server it skips (fails when REMBUK_REQUIRE_TOOLS=1).
func TestSmokeTwoNodes(t *testing.T) {
	pg, err := testenv.StartPostgres()
	if err != nil {
		testenv.SkipOrFail(t, err)
	}
	t.Cleanup(func() { pg.Stop() })
	nats := testenv.StartNATS(t)
	bin := buildServer(t)
	b := &builds{rembuk: bin, pg: pg.URL("postgres"), broker: nats.URL}
	tg, err := startTarget(b, variant{Name: "rembuk 2 nodes", Kind: "rembuk", PG: true, Nodes: 2}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tg.stop)
	if tg.peer == nil || tg.clientBase() == tg.base {
		t.Fatalf("clients connect to %s, the owner is %s: want another node", tg.clientBase(), tg.base)
	}
	smoke(t, tg)
}
