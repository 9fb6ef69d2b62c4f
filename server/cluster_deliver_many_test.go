package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Several sessions owned by node a, their participants' sockets on node
// b, all sending at once: node b delivers the sessions side by side
// (cluster_inbox.go), and still every connection sees its session's seqs
// once and in order, and each of its acks once, after its event, with no
// resume on the way.
func TestClusterManySessionsDeliveredInOrder(t *testing.T) {
	const sessions, per, rounds = 6, 3, 8
	var logs logBuffer
	tc := startCluster(t, 2, 10*time.Second, clusterOpts{mod: withLog(&logs)})
	a, b := tc.nodes[0], tc.nodes[1]
	type room struct {
		f     *fanRoom
		cs    []*wsClient
		bases []int64
		refs  [][]string
	}
	var rooms []*room
	for range sessions {
		s := a.create("masalah-inovasi")
		fac, w := a.connect(s.ID, s.FacilitatorToken, nil)
		if got := tc.owner(s.ID); got != "a" {
			t.Fatalf("owner %q, want a", got)
		}
		rm := &room{f: &fanRoom{tc: tc, fac: fac, col: columnIDs(w)[0]}, refs: make([][]string, per)}
		for i := range per {
			j := b.join(s.JoinCode, fmt.Sprintf("Peserta %d", i))
			c, wc := b.connect(s.ID, j.Token, nil)
			rm.cs = append(rm.cs, c)
			rm.bases = append(rm.bases, num(wc["board"].(map[string]any)["seq"]))
		}
		rm.f.settle(t, "mulai", rm.cs...)
		rooms = append(rooms, rm)
	}
	// Every connection sends without waiting: the owner's rooms batch
	// and publish at once, and b receives the sessions interleaved.
	for r := range rounds {
		for _, rm := range rooms {
			for i, c := range rm.cs {
				ref := fmt.Sprintf("r%d-%d", r, i)
				rm.refs[i] = append(rm.refs[i], ref)
				c.send(map[string]any{"type": "note.add", "ref": ref, "columnId": rm.f.col, "text": "catatan " + ref})
			}
		}
	}
	for n, rm := range rooms {
		last := rm.f.last + per*rounds
		for i, c := range rm.cs {
			who := fmt.Sprintf("client %d of session %d", i, n)
			readUntilSeq(t, c, last)
			for acksOf(c, rm.refs[i][len(rm.refs[i])-1]) == 0 {
				c.backlog = append(c.backlog, c.read())
			}
			checkContiguous(t, who, eventSeqs(t, c), rm.bases[i]+1, last)
			checkAcksAfterEvents(t, who, c, rm.refs[i])
		}
	}
	// In order without help: a message delivered out of its link's order
	// looks like a gap, which the resume would hide from the clients.
	if strings.Contains(logs.String(), "were lost") {
		t.Fatalf("node b saw a gap and resumed:\n%s", logs.String())
	}
}

// checkAcksAfterEvents fails unless each ref was acked once, after the
// event of the seq it was acked at.
func checkAcksAfterEvents(t *testing.T, who string, w *wsClient, refs []string) {
	t.Helper()
	seen := map[int64]bool{}
	acked := map[string]int{}
	for _, f := range decodeFrames(w.raw.Bytes()) {
		switch f["type"] {
		case "event":
			seen[num(f["seq"])] = true
		case "ack":
			ref, _ := f["ref"].(string)
			acked[ref]++
			if !seen[num(f["seq"])] {
				t.Fatalf("%s: ack of %s (seq %d) before its event", who, ref, num(f["seq"]))
			}
		case "error":
			t.Fatalf("%s: error frame %v", who, f)
		}
	}
	for _, ref := range refs {
		if acked[ref] != 1 {
			t.Fatalf("%s: %s acked %d times, want once (acked: %s)", who, ref, acked[ref], strings.Join(refs, ","))
		}
	}
}
