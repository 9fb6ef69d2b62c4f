package clustertest

import (
	"os"
	"testing"
	"time"
)

// Three nodes, 5 sessions, 30 clients (two of each session on each node)
// adding notes at 5/s. Ten times (three with -short): kill -9 the node
// that owns the most sessions, then start it again. Each time: every
// session it owned acks again within TTL + 1 s; the clients on the
// surviving nodes keep their connections; the stored log and the acks
// agree. The first time, the dead node's clients stay away and a client
// of the same session on another node must see them go offline within
// 6 s (timings are checked at three times their target unless
// REMBUK_CLUSTER_TARGETS=1; see limit). At the end every ref sent is
// acked, and stored once at its acked seq; every client saw every seq of
// its session once, in order, across reconnects and owner changes.
func TestKillOwnerCycles(t *testing.T) {
	c := startCluster(t, 3)
	seats := setupSessions(t, c.urls(), 5, 6)
	l := startLoad(t, seats, 5, func(i int) func() string { return c.pick(i % 3) })
	cycles := 10
	if testing.Short() {
		cycles = 3
	}
	start := time.Now()
	var worst time.Duration
	for cycle := 1; cycle <= cycles; cycle++ {
		// Load on every session first, so each has an owner.
		at := time.Now()
		acksInEvery(t, l.clients, sessionsOf(seats), at, 10*time.Second, "acks in every session before the kill")
		own := c.waitOwned(seats, 5*time.Second)
		victimID, lost := busiest(own)
		v := c.index(victimID)
		url := c.nodes[v].URL
		gone := onNode(l.clients, url)
		presence := cycle == 1
		if presence {
			for _, k := range gone {
				k.hold(time.Hour) // until the presence check is done
			}
		}
		killed := time.Now()
		c.kill(v)
		fa := acksInEvery(t, l.clients, lost, killed, 15*time.Second, "an ack in every session the dead node owned")
		for _, s := range lost {
			worst = max(worst, fa[s])
			if fa[s] > limit(failoverTarget) {
				t.Errorf("cycle %d: session %.8s acked again %v after its owner was killed (target TTL + 1 s = %v, checked against %v)",
					cycle, s, fa[s].Round(time.Millisecond), failoverTarget, limit(failoverTarget))
			}
		}
		if presence {
			off := checkOffline(t, l.clients, gone, url, killed)
			for _, k := range gone {
				k.hold(0)
			}
			t.Logf("cycle %d: the dead node's people shown offline after %v at the latest (target %v)", cycle, off.Round(time.Millisecond), offlineTarget)
		}
		// A little more load through the new owners, then the survivors
		// must still hold the connections they had at the kill.
		more := time.Now()
		acksInEvery(t, l.clients, sessionsOf(seats), more, 10*time.Second, "acks in every session after the failover")
		kept := checkNeverClosed(t, l.clients, killed, time.Now(), func(u string) bool { return u != url })
		c.restart(v)
		acked := checkLog(t, c.log, l.clients, false)
		t.Logf("cycle %d: killed %s (owner of %d sessions, %d clients on it); first acks after%s; %d survivors kept their connections; %d refs acked so far",
			cycle, victimID, len(lost), len(gone), durations(fa), kept, acked)
		if t.Failed() {
			t.FailNow()
		}
	}
	drain(t, l.clients, 20*time.Second)
	l.halt()
	acked := checkLog(t, c.log, l.clients, true)
	t.Logf("%d cycles in %v, slowest failover %v; %s; %d acked refs checked", cycles, time.Since(start).Round(time.Millisecond), worst.Round(time.Millisecond), summary(l.clients), acked)
}

// The targets: the first ack after a kill within TTL + 1 s, and
// the people whose only socket was on the dead node offline within 6 s.
const (
	failoverTarget = ttl + time.Second
	offlineTarget  = 6 * time.Second
)

// limit is what a timing is checked against. Targets are measured (and
// logged) by these tests; on CI's shared 2-core machine, with the browser
// tests running beside them, they are checked at three times the target
// (what catches a failover or a presence update that never comes), and
// REMBUK_CLUSTER_TARGETS=1 checks the target itself.
func limit(target time.Duration) time.Duration {
	if os.Getenv("REMBUK_CLUSTER_TARGETS") == "1" {
		return target
	}
	return 3 * target
}

// checkOffline: for each client that was on the dead node (and is held
// away), some client of its session on another node saw its participant
// go offline within limit(offlineTarget) of the kill. It returns the
// slowest.
func checkOffline(t *testing.T, clients []*client, gone []*client, deadURL string, killed time.Time) time.Duration {
	t.Helper()
	deadline := killed.Add(limit(offlineTarget) + 500*time.Millisecond)
	var slowest time.Duration
	for _, k := range gone {
		var watchers []*client
		for _, w := range clients {
			if w.seat.Session == k.seat.Session && w != k {
				if st := w.stats(); len(st.conns) > 0 && st.conns[len(st.conns)-1].URL != deadURL {
					watchers = append(watchers, w)
				}
			}
		}
		if len(watchers) == 0 {
			continue
		}
		var seen time.Time
		for {
			for _, w := range watchers {
				if at := w.offlineSince(k.seat.ID, killed); !at.IsZero() && (seen.IsZero() || at.Before(seen)) {
					seen = at
				}
			}
			if !seen.IsZero() || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		switch {
		case seen.IsZero():
			t.Errorf("client %d (participant %.8s) on the dead node: no one in its session saw it offline within %v", k.n, k.seat.ID, deadline.Sub(killed).Round(time.Millisecond))
		case seen.Sub(killed) > limit(offlineTarget):
			t.Errorf("client %d (participant %.8s) on the dead node: offline only %v after the kill (target %v, checked against %v)",
				k.n, k.seat.ID, seen.Sub(killed).Round(time.Millisecond), offlineTarget, limit(offlineTarget))
		default:
			slowest = max(slowest, seen.Sub(killed))
		}
	}
	return slowest
}
