package clustertest

import (
	"testing"
	"time"
)

// Three nodes, 5 sessions, 30 clients (two of each session on each node)
// adding notes at 5/s. Ten times (three with -short): kill -9 the node
// that owns the most sessions, then start it again. Each time: every
// session it owned acks again within TTL + 1 s; the clients on the
// surviving nodes keep their connections; the stored log and the acks
// agree. The first time, the dead node's clients stay away for 7 s and
// a client of the same session on another node must see them go offline
// within 6 s. At the end every ref sent is acked, and stored once at its
// acked seq; every client saw every seq of its session once, in order,
// across reconnects and owner changes.
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
				k.hold(7 * time.Second)
			}
		}
		killed := time.Now()
		c.kill(v)
		fa := acksInEvery(t, l.clients, lost, killed, 10*time.Second, "an ack in every session the dead node owned")
		for _, s := range lost {
			worst = max(worst, fa[s])
			if fa[s] > ttl+time.Second {
				t.Errorf("cycle %d: session %.8s acked again %v after its owner was killed (limit TTL + 1 s = %v)", cycle, s, fa[s].Round(time.Millisecond), ttl+time.Second)
			}
		}
		if presence {
			checkOffline(t, l.clients, gone, url, killed)
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

// checkOffline: for each client that was on the dead node (and is held
// away), some client of its session on another node saw its participant
// go offline within 6 s of the kill.
func checkOffline(t *testing.T, clients []*client, gone []*client, deadURL string, killed time.Time) {
	t.Helper()
	deadline := killed.Add(8 * time.Second)
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
			t.Errorf("client %d (participant %.8s) on the dead node: no one in its session saw it offline within 8 s", k.n, k.seat.ID)
		case seen.Sub(killed) > 6*time.Second:
			t.Errorf("client %d (participant %.8s) on the dead node: offline only %v after the kill (limit 6 s)", k.n, k.seat.ID, seen.Sub(killed).Round(time.Millisecond))
		}
	}
}
