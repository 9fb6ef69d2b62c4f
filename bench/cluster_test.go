package main

import (
	"testing"
	"time"

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

// TestSmokeTwoNodesSplit: the split variant puts every other participant
// on node A, the owner, and the rest on node B, and reports each group's
// latencies apart, with every event delivered to both groups.
func TestSmokeTwoNodesSplit(t *testing.T) {
	pg, err := testenv.StartPostgres()
	if err != nil {
		testenv.SkipOrFail(t, err)
	}
	t.Cleanup(func() { pg.Stop() })
	nats := testenv.StartNATS(t)
	bin := buildServer(t)
	b := &builds{rembuk: bin, pg: pg.URL("postgres"), broker: nats.URL}
	tg, err := startTarget(b, variant{Name: "rembuk 2 nodes split", Kind: "rembuk", PG: true, Nodes: 2, Split: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tg.stop)
	r, err := newRig(tg, 2, 20, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	local := 0
	for _, c := range r.readers() {
		if c.local {
			local++
		}
	}
	if local != 20 {
		t.Fatalf("%d of 40 participants on the owner, want 20", local)
	}
	m := r.steady(stepSpec{rate: 2, textLen: 60, warmup: 500 * time.Millisecond, measure: 2 * time.Second,
		drain: 10 * time.Second})
	t.Logf("split steady 2×20 at 2/s: %s; local p99 %.2f ms, forwarded p99 %.2f ms", brief("W1", m), m["p99_local"], m["p99_fwd"])
	check(t, "split steady", m)
	for _, k := range []string{"p50_local", "p99_local", "p50_fwd", "p99_fwd", "ack_p99_local", "ack_p99_fwd"} {
		if v, ok := m[k]; !ok || !(v > 0) {
			t.Errorf("split figure %s = %v, want a latency", k, v)
		}
	}
}
