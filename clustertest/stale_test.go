package clustertest

import (
	"testing"
	"time"
)

// A stale owner: the node owning the most sessions is frozen (SIGSTOP)
// under load past its lease; another node takes its sessions over; then
// it continues (SIGCONT) with the commands its clients sent meanwhile in
// its sockets. None of its batches may commit (its epoch is fenced): its
// clients on those sessions get no ack from it and are closed with 1013,
// reconnect elsewhere and their refs are acked once. The stored log and
// the acks agree throughout.
func TestStaleOwnerFenced(t *testing.T) {
	c := startCluster(t, 3)
	seats := setupSessions(t, c.urls(), 4, 6)
	l := startLoad(t, seats, 5, func(i int) func() string { return c.pick(i % 3) })
	at := time.Now()
	acksInEvery(t, l.clients, sessionsOf(seats), at, 10*time.Second, "acks in every session")
	own := c.waitOwned(seats, 5*time.Second)
	victimID, lost := busiest(own)
	v := c.index(victimID)
	url := c.nodes[v].URL
	var stale []*client
	for _, k := range onNode(l.clients, url) {
		for _, s := range lost {
			if k.seat.Session == s {
				stale = append(stale, k)
			}
		}
	}
	if len(stale) == 0 {
		t.Fatalf("no client on %s in the sessions it owns", victimID)
	}

	c.setDown(v, true)
	if err := c.nodes[v].Pause(); err != nil {
		t.Fatal(err)
	}
	paused := time.Now()
	// The others take the sessions over once the lease has run out and
	// their forwards time out (a frozen node still holds its broker
	// subscription, so they get no "no responders").
	waitFor(t, 20*time.Second, "new owners of the frozen node's sessions", func() bool {
		o := c.owners()
		for _, s := range lost {
			if o[s] == "" || o[s] == victimID {
				return false
			}
		}
		return true
	})
	took := time.Since(paused)
	acksInEvery(t, l.clients, lost, time.Now(), 10*time.Second, "acks from the new owners")

	resumed := time.Now()
	if err := c.nodes[v].Resume(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the stale owner's clients closed", func() bool {
		for _, k := range stale {
			if st := k.stats(); len(st.conns) > 0 && staleConn(st, url, paused).Closed.IsZero() {
				return false
			}
		}
		return true
	})
	for _, k := range stale {
		st := k.stats()
		cr := staleConn(st, url, paused)
		if cr.Code != 1013 {
			t.Errorf("client %d on the stale owner: closed with %d, want 1013", k.n, cr.Code)
		}
		for r, a := range st.acks {
			if a.At.After(resumed) && a.At.Before(cr.Closed) {
				t.Errorf("client %d: ref %s acked (seq %d) by the stale owner after SIGCONT", k.n, r, a.Seq)
			}
		}
	}
	c.setDown(v, false)
	drain(t, l.clients, 20*time.Second)
	l.halt()
	acked := checkLog(t, c.log, l.clients, true)
	t.Logf("%s frozen with %d sessions; taken over %v after SIGSTOP; %d of its clients closed with 1013 after SIGCONT; %s; %d acked refs checked",
		victimID, len(lost), took.Round(time.Millisecond), len(stale), summary(l.clients), acked)
}

// staleConn is the client's connection to url that was open at paused.
func staleConn(st stats, url string, paused time.Time) connRec {
	for _, cr := range st.conns {
		if cr.URL == url && cr.Opened.Before(paused) && (cr.Closed.IsZero() || cr.Closed.After(paused)) {
			return cr
		}
	}
	return connRec{}
}
