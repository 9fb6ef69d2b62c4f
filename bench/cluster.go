package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/jackc/pgx/v5"

	"rembuk/internal/testenv"
)

// The two-node variant (-cluster): node A and node B of one cluster, on one
// fresh PostgreSQL database and one NATS server. The workloads create the
// sessions through A, whose rooms therefore load there and take the leases;
// every client then connects to B, so each hello, command, ack and event
// crosses the hop (B forwards to A over NATS, A's frames come back the same
// way). docs/cluster.md, "Measured: two nodes". The split variant
// (-cluster-split) puts half of each session's clients on node A instead
// and reports the two groups apart (clientBaseOf, splitFigures).

// Node names in the leases; the default (host:port) would be the same
// 127.0.0.1:0 for both.
const nodeA, nodeB = "bench-a", "bench-b"

// startCluster starts node A and node B with args (the single node's) on
// the run's database db.
func startCluster(b *builds, v variant, args []string, db, dirA string) (*target, error) {
	if b.broker == "" {
		os.RemoveAll(dirA)
		return nil, fmt.Errorf("%s: no broker", v.Name)
	}
	node := func(name, dir string) (*target, error) {
		a := append(append([]string{}, args...), "-broker", b.broker, "-node-id", name)
		return launch(v, exec.Command(b.rembuk, a...), dir)
	}
	a, err := node(nodeA, dirA)
	if err != nil {
		return nil, err
	}
	dirB, err := os.MkdirTemp("", "rembuk-bench-")
	if err != nil {
		a.stop()
		return nil, err
	}
	if a.peer, err = node(nodeB, dirB); err != nil {
		a.stop()
		return nil, err
	}
	a.dbURL = db
	return a, nil
}

// clientBase is where the participants connect: node B of two nodes, the
// server itself otherwise.
func (t *target) clientBase() string {
	if t.peer != nil {
		return t.peer.base
	}
	return t.base
}

// clientBaseOf is where a session's participant p connects, and whether
// that is the session's owner while another node exists: in a split run
// (variant "rembuk 2 nodes split") every other participant connects to
// node A, the owner, and the rest to node B, so that one run measures a
// local and a forwarded group under the same load, on the same machine
// at the same moment.
func (t *target) clientBaseOf(p int) (base string, local bool) {
	if t.peer != nil && t.v.Split && p%2 == 1 {
		return t.base, true
	}
	return t.clientBase(), false
}

// stats reads every server process of the target (A, then B), summed.
func (t *target) stats() procStat {
	st, _ := readProc(t.pid())
	if t.peer != nil {
		b, _ := readProc(t.peer.pid())
		st.cpu += b.cpu
		st.rssKB += b.rssKB
		st.peakKB += b.peakKB
	}
	return st
}

// pids are the server processes of the target.
func (t *target) pids() []int {
	if t.peer != nil {
		return []int{t.pid(), t.peer.pid()}
	}
	return []int{t.pid()}
}

// nodeCPU reads the CPU seconds used so far by node A and node B.
func (t *target) nodeCPU() (a, b float64) {
	if t.peer == nil {
		return 0, 0
	}
	pa, _ := readProc(t.pid())
	pb, _ := readProc(t.peer.pid())
	return pa.cpu, pb.cpu
}

// checkOwners fails a two-node run whose sessions are not all owned by
// node A: a client on their owner would not cross the hop.
func checkOwners(t *target, ss []*session) error {
	if t.peer == nil {
		return nil
	}
	ids := make([]string, len(ss))
	for i, s := range ss {
		ids[i] = s.id
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, t.dbURL)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	var n int
	err = c.QueryRow(ctx, `SELECT count(*) FROM session_leases WHERE session_id = ANY($1) AND node = $2 AND until > now()`,
		ids, nodeA).Scan(&n)
	if err != nil {
		return fmt.Errorf("reading the leases: %w", err)
	}
	if n != len(ss) {
		return fmt.Errorf("%d of %d sessions are owned by node A", n, len(ss))
	}
	return nil
}

// stopNATS stops the nats-server this invocation started for -cluster:
// SIGINT, SIGKILL after 5 s.
func stopNATS(n *testenv.NATS) { n.Stop(5 * time.Second) }

// splitFigures is a split run's fan-out and ack latencies of the readers
// on the owner (_local) and of those on the other node (_fwd), each
// reader's samples in its group (lats[i] and acks[i] are readers[i]'s);
// nil unless both groups have readers.
func splitFigures(readers []*conn, lats, acks []samples) metrics {
	var ll, la, fl, fa []samples
	for i, c := range readers {
		if c.local {
			ll, la = append(ll, lats[i]), append(la, acks[i])
		} else {
			fl, fa = append(fl, lats[i]), append(fa, acks[i])
		}
	}
	if len(ll) == 0 || len(fl) == 0 {
		return nil
	}
	m := metrics{}
	for _, g := range []struct {
		name     string
		lat, ack samples
	}{{"local", merge(ll...), merge(la...)}, {"fwd", merge(fl...), merge(fa...)}} {
		m["p50_"+g.name], m["p99_"+g.name] = g.lat.pct(0.50), g.lat.pct(0.99)
		m["ack_p50_"+g.name], m["ack_p99_"+g.name] = g.ack.pct(0.50), g.ack.pct(0.99)
	}
	return m
}
