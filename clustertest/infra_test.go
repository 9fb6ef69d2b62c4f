package clustertest

import (
	"testing"
	"time"
)

// nats-server is killed under load and started again a second later on
// the same port. Sessions whose clients sit on other nodes than the owner
// stall meanwhile (their forwards have no broker), then every session
// acks again; no ack is lost or doubled, no seq skipped.
func TestNATSRestartUnderLoad(t *testing.T) {
	c := startCluster(t, 3)
	seats := setupSessions(t, c.urls(), 3, 6)
	l := startLoad(t, seats, 5, func(i int) func() string { return c.pick(i % 3) })
	acksInEvery(t, l.clients, sessionsOf(seats), time.Now(), 10*time.Second, "acks in every session")
	c.waitOwned(seats, 5*time.Second)
	killed := time.Now()
	c.nats.Kill()
	time.Sleep(time.Second) // the broker is down this long
	c.nats.Restart(t)
	back := time.Now()
	fa := acksInEvery(t, l.clients, sessionsOf(seats), back, 20*time.Second, "acks in every session after nats-server came back")
	// Past the outage, every client acks again (forwarded ones included).
	waitFor(t, 20*time.Second, "an ack for every client", func() bool {
		for _, k := range l.clients {
			ok := false
			for _, a := range k.stats().acks {
				if a.At.After(back) {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		return true
	})
	drain(t, l.clients, 20*time.Second)
	l.halt()
	acked := checkLog(t, c.log, l.clients, true)
	t.Logf("nats-server down %v; first acks after it came back%s; %s; %d acked refs checked",
		back.Sub(killed).Round(time.Millisecond), durations(fa), summary(l.clients), acked)
}

// PostgreSQL crashes under load (`pg_ctl restart -m immediate`: no
// checkpoint, recovery from its WAL). What was acked before is there
// after recovery (synchronous_commit: an ack means on disk); the nodes
// reconnect and every session acks again; every ref sent is acked once.
func TestPostgresImmediateRestartUnderLoad(t *testing.T) {
	c := startCluster(t, 3)
	seats := setupSessions(t, c.urls(), 3, 6)
	l := startLoad(t, seats, 5, func(i int) func() string { return c.pick(i % 3) })
	acksInEvery(t, l.clients, sessionsOf(seats), time.Now(), 10*time.Second, "acks in every session")
	c.waitOwned(seats, 5*time.Second)
	crashed := time.Now()
	c.pg.restartImmediate(t)
	back := time.Now()
	fa := acksInEvery(t, l.clients, sessionsOf(seats), back, 30*time.Second, "acks in every session after PostgreSQL came back")
	drain(t, l.clients, 30*time.Second)
	l.halt()
	acked := checkLog(t, c.log, l.clients, true)
	t.Logf("PostgreSQL restarted (immediate) in %v; first acks after%s; %s; %d acked refs checked",
		back.Sub(crashed).Round(time.Millisecond), durations(fa), summary(l.clients), acked)
}
