package clustertest

import (
	"testing"
	"time"

	"rembuk/internal/testenv"
)

// The cluster behind HAProxy (round robin, health check /healthz,
// `timeout tunnel`), as an operator runs it: sessions are created and
// every client connects through the balancer. The node owning the most
// sessions is killed: the balancer takes it out, the clients it held
// reconnect through the balancer with their last seq, every session acks
// again, and every ref sent is acked once, stored at its acked seq.
func TestThroughHAProxy(t *testing.T) {
	c := startCluster(t, 3)
	h := testenv.StartHAProxy(t, c.nodes[0].Addr, c.nodes[1].Addr, c.nodes[2].Addr)
	seats := setupSessions(t, []string{h.URL}, 3, 6)
	l := startLoad(t, seats, 5, func(int) func() string { return func() string { return h.URL } })
	acksInEvery(t, l.clients, sessionsOf(seats), time.Now(), 10*time.Second, "acks in every session")
	own := c.waitOwned(seats, 5*time.Second)
	victimID, lost := busiest(own)
	killed := time.Now()
	c.kill(c.index(victimID))
	fa := acksInEvery(t, l.clients, lost, killed, 15*time.Second, "an ack in every session the dead node owned")
	acksInEvery(t, l.clients, sessionsOf(seats), time.Now(), 15*time.Second, "acks in every session after the failover")
	c.restart(c.index(victimID))
	drain(t, l.clients, 20*time.Second)
	l.halt()
	acked := checkLog(t, c.log, l.clients, true)
	if t.Failed() {
		t.Logf("haproxy log:\n%s", h.Tail(3000))
	}
	t.Logf("killed %s (owner of %d sessions) behind HAProxy; first acks after%s; %s; %d acked refs checked",
		victimID, len(lost), durations(fa), summary(l.clients), acked)
}
