package clustertest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"rembuk/internal/testenv"
)

// ttl is every node's -lease-ttl: failover must take at most ttl + 1 s.
const ttl = 2 * time.Second

// cluster is PostgreSQL, nats-server and some rembuk nodes, each on its
// own 127.0.0.1 port.
type cluster struct {
	t     *testing.T
	pg    *postgres
	log   *logDB
	nats  *testenv.NATS
	nodes []*testenv.Node
	ids   []string

	mu   sync.Mutex
	down []bool // where clients must not reconnect
}

// needClusterFlags skips until the binary has the cluster's flags (they
// land in stages this session); afterwards the scenarios always run.
func needClusterFlags(t *testing.T) {
	t.Helper()
	u := testenv.Usage(t)
	for _, f := range []string{"broker", "node-id", "lease-ttl"} {
		if !strings.Contains(u, "  -"+f+" ") && !strings.Contains(u, "  -"+f+"\n") {
			t.Skipf("the rembuk binary has no -%s flag yet (issue 15); `rembuk -h`:\n%s", f, u)
		}
	}
}

// startCluster starts PostgreSQL, nats-server and n nodes (n1…) with
// -lease-ttl 2s and the flags in extra, one after the other (the first
// creates the schema).
func startCluster(t *testing.T, n int, extra ...string) *cluster {
	t.Helper()
	needClusterFlags(t)
	c := &cluster{t: t, pg: startPostgres(t), nats: testenv.StartNATS(t), down: make([]bool, n)}
	c.log = &logDB{pgURL: c.pg.dsn}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("n%d", i+1)
		c.ids = append(c.ids, id)
		c.nodes = append(c.nodes, testenv.StartNode(t, testenv.NodeConfig{Name: "node " + id, Args: append([]string{
			"-db", c.pg.dsn, "-broker", c.nats.URL, "-node-id", id, "-lease-ttl", ttl.String(), "-sessions-per-hour", "0"}, extra...)}))
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, nd := range c.nodes {
				t.Logf("%s log:\n%s", nd.Name, nd.Tail(6000))
			}
			t.Logf("nats-server log:\n%s", c.nats.Tail(2000))
		}
	})
	return c
}

func (c *cluster) urls() []string {
	var out []string
	for _, n := range c.nodes {
		out = append(out, n.URL)
	}
	return out
}

// pick is where a client whose home is node i connects: its home, or the
// next node that is up.
func (c *cluster) pick(home int) func() string {
	return func() string {
		c.mu.Lock()
		defer c.mu.Unlock()
		for k := range c.nodes {
			i := (home + k) % len(c.nodes)
			if !c.down[i] {
				return c.nodes[i].URL
			}
		}
		return c.nodes[home].URL
	}
}

func (c *cluster) setDown(i int, down bool) {
	c.mu.Lock()
	c.down[i] = down
	c.mu.Unlock()
}

// kill sends kill -9 to node i (clients stop picking it first).
func (c *cluster) kill(i int) {
	c.setDown(i, true)
	c.nodes[i].Kill()
}

// restart starts node i again on its port.
func (c *cluster) restart(i int) {
	c.t.Helper()
	c.nodes[i].Restart(c.t)
	c.setDown(i, false)
}

// index is the node's position by its id.
func (c *cluster) index(id string) int {
	for i, x := range c.ids {
		if x == id {
			return i
		}
	}
	return -1
}

// owners reads the unexpired leases: session → node id.
func (c *cluster) owners() map[string]string {
	c.t.Helper()
	own, err := c.log.owners()
	if err != nil {
		c.t.Fatalf("session_leases: %v", err)
	}
	return own
}

// waitOwned waits until every session has an owner and returns them.
func (c *cluster) waitOwned(seats [][]seat, limit time.Duration) map[string]string {
	c.t.Helper()
	var own map[string]string
	waitFor(c.t, limit, "an owner for every session", func() bool {
		own = c.owners()
		for _, s := range seats {
			if own[s[0].Session] == "" {
				return false
			}
		}
		return true
	})
	return own
}

// busiest is the node owning the most sessions, and those sessions.
func busiest(own map[string]string) (string, []string) {
	count := map[string][]string{}
	for s, n := range own {
		count[n] = append(count[n], s)
	}
	best := ""
	for n, ss := range count {
		if best == "" || len(ss) > len(count[best]) || (len(ss) == len(count[best]) && n < best) {
			best = n
		}
	}
	return best, count[best]
}

// onNode is the clients whose connection is open on url now.
func onNode(clients []*client, url string) []*client {
	var out []*client
	for _, c := range clients {
		st := c.stats()
		if k := len(st.conns); k > 0 && st.conns[k-1].URL == url && st.conns[k-1].Closed.IsZero() {
			out = append(out, c)
		}
	}
	return out
}

// acksInEvery waits until every session in sessions has an ack after at.
func acksInEvery(t *testing.T, clients []*client, sessions []string, at time.Time, limit time.Duration, what string) map[string]time.Duration {
	t.Helper()
	var fa map[string]time.Duration
	waitFor(t, limit, what, func() bool {
		fa = firstAckAfter(clients, at)
		for _, s := range sessions {
			if _, ok := fa[s]; !ok {
				return false
			}
		}
		return true
	})
	return fa
}

func sessionsOf(seats [][]seat) []string {
	var out []string
	for _, s := range seats {
		out = append(out, s[0].Session)
	}
	return out
}
