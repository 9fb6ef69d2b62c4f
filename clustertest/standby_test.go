package clustertest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"rembuk/internal/testenv"
)

// The primary's machine dies and the operator promotes the standby, as
// docs/cluster.md says to run PostgreSQL: a synchronous standby, both
// hosts in every node's URL (target_session_attrs=read-write). Two nodes
// with -lease-ttl 2s under load; the standby first falls behind (the
// primary's walsender frozen, as over a slow link: the commits made
// meanwhile wait for it), then the primary and all its processes get
// SIGKILL, and the standby is promoted. The nodes find it by themselves
// and every session acks again; at the end every ref a client saw acked
// is in the promoted database once, at its acked seq, each session's
// events 1..seq without a gap, and every ref sent is acked. With an
// asynchronous standby the acks given while it was behind are lost
// (docs/cluster.md).
func TestStandbyPromotion(t *testing.T) {
	sc := startStandbyCluster(t)
	primary, standby, c, seats, l := sc.primary, sc.standby, sc.c, sc.seats, sc.l

	// The standby falls behind while the clients go on sending.
	sentBefore := sent(l.clients)
	resume, err := standby.FreezeSender()
	if err != nil {
		t.Fatal(err)
	}
	frozen := time.Now()
	waitFor(t, 10*time.Second, "20 notes sent while the standby is behind", func() bool { return sent(l.clients) >= sentBefore+20 })
	behind := acksSince(l.clients, frozen)

	killed := time.Now()
	if err := primary.Kill(); err != nil {
		t.Fatal(err)
	}
	resume() // its walsender is gone with it
	dead := time.Now()
	if err := standby.Promote(); err != nil {
		t.Fatal(err)
	}
	promoted := time.Since(dead)
	fa := acksInEvery(t, l.clients, sessionsOf(seats), killed, 30*time.Second, "acks in every session after the promotion")
	first := time.Duration(1 << 62)
	for _, d := range fa {
		first = min(first, d)
	}
	acksInEvery(t, l.clients, sessionsOf(seats), time.Now(), 10*time.Second, "acks in every session on the promoted standby")
	drain(t, l.clients, 20*time.Second)
	l.halt()
	if in, err := standby.InRecovery(); err != nil || in {
		t.Fatalf("the promoted standby: in recovery %v, %v", in, err)
	}
	acked := checkLog(t, c.log, l.clients, true) // through dsn: the promoted standby is the one writable host
	t.Logf("standby behind for %v (%d acks meanwhile); primary killed (%v), standby promoted in %v; first ack after the kill in %v, in every session after%s; %s; %d acked refs checked on the promoted standby",
		killed.Sub(frozen).Round(time.Millisecond), behind, dead.Sub(killed).Round(time.Millisecond), promoted.Round(time.Millisecond), first.Round(time.Millisecond), durations(fa), summary(l.clients), acked)
}

// TestStandbyHungPrimary: the primary's machine hangs instead (every
// PostgreSQL process of it stopped: its port still takes connections and
// never answers, as a machine gone without a reset looks from another
// one) and the standby is promoted. A batch the nodes had sent to it
// waits out the writer's timeout (15 s); new connections give the hung
// host up after connect_timeout (5 s by default) and then go first to the
// promoted standby. Every session acks again, nothing acked is lost. It
// takes 30–40 s, so it runs only with REMBUK_CLUSTER_SLOW=1.
func TestStandbyHungPrimary(t *testing.T) {
	if os.Getenv("REMBUK_CLUSTER_SLOW") != "1" {
		t.Skip("30–40 s: set REMBUK_CLUSTER_SLOW=1")
	}
	sc := startStandbyCluster(t)
	hung := time.Now()
	if err := sc.primary.Freeze(); err != nil {
		t.Fatal(err)
	}
	if err := sc.standby.Promote(); err != nil {
		t.Fatal(err)
	}
	promoted := time.Since(hung)
	fa := acksInEvery(t, sc.l.clients, sessionsOf(sc.seats), hung.Add(promoted), 40*time.Second, "acks in every session after the promotion")
	drain(t, sc.l.clients, 40*time.Second)
	drained := time.Since(hung)
	sc.l.halt()
	sc.c.log.pgURL += "&connect_timeout=2" // the checks' own connection, past the hung host
	acked := checkLog(t, sc.c.log, sc.l.clients, true)
	t.Logf("primary hung, standby promoted %v later; first ack after the promotion in every session after%s; every ref sent acked %v after the hang; %s; %d acked refs checked on the promoted standby",
		promoted.Round(time.Millisecond), durations(fa), drained.Round(time.Millisecond), summary(sc.l.clients), acked)
}

// standbyCluster is a primary with a synchronous standby, two nodes on
// both (the multi-host URL), 3 sessions of 4 clients under load, 60 acks
// in.
type standbyCluster struct {
	primary *testenv.Postgres
	standby *testenv.Standby
	c       *cluster
	seats   [][]seat
	l       *load
}

func startStandbyCluster(t *testing.T) standbyCluster {
	t.Helper()
	needClusterFlags(t)
	standby, dsn := testenv.StartReplicated(t, true, "rembuk")
	primary := standby.Primary
	c := startClusterOn(t, 2, dsn)
	t.Cleanup(func() {
		if t.Failed() {
			for _, pg := range []*testenv.Postgres{primary, standby.Postgres} {
				b, _ := os.ReadFile(pg.Dir + "/log")
				t.Logf("PostgreSQL on port %d, log:\n%s", pg.Port, tailOf(string(b), 3000))
			}
		}
	})
	seats := setupSessions(t, c.urls(), 3, 4)
	l := startLoad(t, seats, 5, func(i int) func() string { return c.pick(i % 2) })
	acksInEvery(t, l.clients, sessionsOf(seats), time.Now(), 10*time.Second, "acks in every session")
	c.waitOwned(seats, 5*time.Second)
	waitFor(t, 10*time.Second, "60 acks", func() bool { return acksSince(l.clients, time.Time{}) >= 60 })
	return standbyCluster{primary, standby, c, seats, l}
}

// startClusterOn starts nats-server and n nodes (n1…) with -lease-ttl 2s
// on the database at dsn (startCluster's, on a database of the test's
// own).
func startClusterOn(t *testing.T, n int, dsn string) *cluster {
	t.Helper()
	needClusterFlags(t)
	c := &cluster{t: t, log: &logDB{pgURL: dsn}, nats: testenv.StartNATS(t), down: make([]bool, n)}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("n%d", i+1)
		c.ids = append(c.ids, id)
		c.nodes = append(c.nodes, testenv.StartNode(t, testenv.NodeConfig{Name: "node " + id, Args: []string{
			"-db", dsn, "-broker", c.nats.URL, "-node-id", id, "-lease-ttl", ttl.String(), "-sessions-per-hour", "0"}}))
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, nd := range c.nodes {
				t.Logf("%s log:\n%s", nd.Name, nd.Tail(6000))
			}
		}
	})
	return c
}

// sent is how many refs the clients have sent so far.
func sent(clients []*client) int {
	n := 0
	for _, c := range clients {
		n += c.stats().sent
	}
	return n
}

func tailOf(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
