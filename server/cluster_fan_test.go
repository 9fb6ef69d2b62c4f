package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"rembuk/server"
)

// published counts the messages published to subject so far.
func (l *lossyBroker) published(subject string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent[subject]
}

// holdOn makes publishing to subject wait until release runs: a broker
// that stopped taking messages.
func (l *lossyBroker) holdOn(subject string) (release func()) {
	ch := make(chan struct{})
	l.mu.Lock()
	l.subject, l.hold = subject, ch
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		l.hold = nil
		l.mu.Unlock()
		close(ch)
	}
}

// fanRoom is a session owned by node a with connections on node b.
type fanRoom struct {
	tc   *testCluster
	fac  *wsClient // the facilitator, on a
	col  string
	last int64 // the last seq every connection on b has read
}

// settle makes the facilitator add a note and waits until every
// connection on b has it: what the joins and hellos sent is through.
func (f *fanRoom) settle(t *testing.T, ref string, cs ...*wsClient) {
	t.Helper()
	f.last = num(f.fac.ack("note.add", ref, map[string]any{"columnId": f.col, "text": "mulai"})["seq"])
	for _, c := range cs {
		readUntilSeq(t, c, f.last)
	}
}

func newFanRoom(t *testing.T) (*fanRoom, *clusterNode, *clusterNode, created) {
	tc := startCluster(t, 2, 10*time.Second)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, w := a.connect(s.ID, s.FacilitatorToken, nil)
	if got := tc.owner(s.ID); got != "a" {
		t.Fatalf("owner %q, want a", got)
	}
	return &fanRoom{tc: tc, fac: fac, col: columnIDs(w)[0]}, a, b, s
}

// An event for K connections on another node crosses as one link message
// carrying the frame once with the K rids, not K messages; an ack travels
// in the same message as the event it follows, and reaches its sender
// after the event.
func TestClusterOneLinkMessagePerEvent(t *testing.T) {
	f, a, b, s := newFanRoom(t)
	const k = 12
	cs := make([]*wsClient, k)
	bases := make([]int64, k)
	for i := range cs {
		j := b.join(s.JoinCode, fmt.Sprintf("Peserta %d", i))
		var wc map[string]any
		cs[i], wc = b.connect(s.ID, j.Token, nil)
		bases[i] = num(wc["board"].(map[string]any)["seq"])
	}
	f.settle(t, "n0", cs...)

	before := a.lossy.published("rembuk.node.b")
	seq := num(f.fac.ack("note.add", "n1", map[string]any{"columnId": f.col, "text": "dari a"})["seq"])
	for _, c := range cs {
		readUntilSeq(t, c, seq)
	}
	if got := a.lossy.published("rembuk.node.b") - before; got != 1 {
		t.Fatalf("an event for %d connections on b took %d link messages, want 1", k, got)
	}

	// From a connection on b: its event to all and its ack to it alone.
	before = a.lossy.published("rembuk.node.b")
	seq = num(cs[0].ack("note.add", "n2", map[string]any{"columnId": f.col, "text": "dari b"})["seq"])
	for _, c := range cs {
		readUntilSeq(t, c, seq)
	}
	if got := a.lossy.published("rembuk.node.b") - before; got > 2 {
		t.Fatalf("an event and its ack for %d connections on b took %d link messages, want at most 2", k, got)
	}
	lines := strings.Split(cs[0].raw.String(), "\n")
	ev, ack := -1, -1
	for i, l := range lines {
		if strings.HasPrefix(l, fmt.Sprintf(`{"type":"event","seq":%d,`, seq)) {
			ev = i
		}
		if strings.HasPrefix(l, `{"type":"ack","ref":"n2"`) {
			ack = i
		}
	}
	if ev < 0 || ack < ev {
		t.Fatalf("sender on b: event at frame %d, ack at frame %d; want the event first", ev, ack)
	}
	for i, c := range cs {
		checkContiguous(t, fmt.Sprintf("client %d on b", i), eventSeqs(t, c), bases[i]+1, seq)
	}
	if n := strings.Count(cs[0].raw.String(), `"ref":"n2"`); n != 1 {
		t.Fatalf("sender on b got %d acks of n2, want 1", n)
	}
}

// In a private brainstorm the author's note is one event in two forms:
// with its text for the author and the facilitator, hidden for everyone
// else. Both forms go to node b in one message, each to the right
// connections.
func TestClusterFanMixedVisibility(t *testing.T) {
	f, a, b, s := newFanRoom(t)
	f.fac.ack("settings.update", "priv", map[string]any{"privateBrainstorm": true})
	au := b.join(s.JoinCode, "Penulis Qz")
	author, _ := b.connect(s.ID, au.Token, nil)
	facB, _ := b.connect(s.ID, s.FacilitatorToken, nil) // the facilitator's second tab
	var others []*wsClient
	for i := range 4 {
		j := b.join(s.JoinCode, fmt.Sprintf("Peserta %d", i))
		c, _ := b.connect(s.ID, j.Token, nil)
		others = append(others, c)
	}
	all := append([]*wsClient{author, facB}, others...)
	f.settle(t, "n0", all...)

	const secret = "TEKS-RAHASIA-b81f"
	before := a.lossy.published("rembuk.node.b")
	ack := author.ack("note.add", "rahasia", map[string]any{"columnId": f.col, "text": secret})
	seq, id := num(ack["seq"]), ack["id"].(string)
	for _, c := range all {
		readUntilSeq(t, c, seq)
	}
	if got := a.lossy.published("rembuk.node.b") - before; got != 1 {
		t.Fatalf("a note in two forms and its ack took %d link messages to b, want 1", got)
	}
	for name, c := range map[string]*wsClient{"author": author, "facilitator on b": facB} {
		if got := eventNote(t, c, seq, id); got["text"] != secret {
			t.Fatalf("%s got the note as %v, want its text", name, got)
		}
	}
	for i, c := range others {
		label := fmt.Sprintf("participant %d on b", i)
		assertNoLeak(t, label, c.raw.Bytes(), []string{secret}, []string{au.ParticipantID, "Penulis Qz"})
		if n := assertHiddenForm(t, label, c.raw.Bytes(), id); n != 1 {
			t.Fatalf("%s saw the note %d times, want once, hidden", label, n)
		}
	}
}

// eventNote returns the note of the event with seq that a client read.
func eventNote(t *testing.T, w *wsClient, seq int64, id string) map[string]any {
	t.Helper()
	for _, line := range bytes.Split(w.raw.Bytes(), []byte{'\n'}) {
		var f map[string]any
		if json.Unmarshal(line, &f) != nil || f["type"] != "event" || num(f["seq"]) != seq {
			continue
		}
		if vs := noteViews(f, id); len(vs) == 1 {
			return vs[0]
		}
		t.Fatalf("event %d without note %s: %s", seq, id, line)
	}
	t.Fatalf("no event %d", seq)
	return nil
}

// A frame over the broker's largest message, queued for several
// connections on b, crosses once in chunks, and each gets it whole.
func TestClusterFanChunkedFrame(t *testing.T) {
	tc := startCluster(t, 2, 10*time.Second, clusterOpts{maxPayload: 2048})
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, w := a.connect(s.ID, s.FacilitatorToken, nil)
	f := &fanRoom{tc: tc, fac: fac, col: columnIDs(w)[0]}
	var cs []*wsClient
	for i := range 5 {
		j := b.join(s.JoinCode, fmt.Sprintf("Peserta %d", i))
		c, _ := b.connect(s.ID, j.Token, nil)
		cs = append(cs, c)
	}
	f.settle(t, "n0", cs...)
	long := strings.Repeat("é", 1000) // 2,000 bytes: the event passes 2 KiB
	before := a.lossy.published("rembuk.node.b")
	ack := fac.ack("note.add", "panjang", map[string]any{"columnId": f.col, "text": long})
	seq, id := num(ack["seq"]), ack["id"].(string)
	for i, c := range cs {
		readUntilSeq(t, c, seq)
		if got := eventNote(t, c, seq, id); got["text"] != long {
			t.Fatalf("client %d on b got the note as %v", i, got)
		}
	}
	if got := a.lossy.published("rembuk.node.b") - before; got > 3 {
		t.Fatalf("a 2 KiB event for 5 connections took %d messages of 2 KiB, want at most 3", got)
	}
}

// A broker that stops taking a node's frames: once more than LinkQueue
// bytes wait, the owner drops them and skips a seq, never waiting itself;
// the node sees the gap, and its connections resume with each seq once
// and in order.
func TestClusterStuckLinkResumes(t *testing.T) {
	var logs logBuffer
	tc := startCluster(t, 2, 10*time.Second, clusterOpts{mod: func(c *server.Config) {
		c.Cluster.LinkQueue = 2048
		withLog(&logs)(c)
	}})
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, w := a.connect(s.ID, s.FacilitatorToken, nil)
	f := &fanRoom{tc: tc, fac: fac, col: columnIDs(w)[0]}
	var cs []*wsClient
	var bases []int64
	for i := range 3 {
		j := b.join(s.JoinCode, fmt.Sprintf("Peserta %d", i))
		c, wc := b.connect(s.ID, j.Token, nil)
		cs = append(cs, c)
		bases = append(bases, num(wc["board"].(map[string]any)["seq"]))
	}
	f.settle(t, "n0", cs...)
	release := a.lossy.holdOn("rembuk.node.b")
	var last int64
	for i := 1; i <= 12; i++ {
		last = num(fac.ack("note.add", fmt.Sprintf("n%d", i), map[string]any{"columnId": f.col, "text": strings.Repeat("isi ", 50)})["seq"])
	}
	release()
	for i, c := range cs {
		readUntilSeq(t, c, last)
		checkContiguous(t, fmt.Sprintf("client %d on b", i), eventSeqs(t, c), bases[i]+1, last)
	}
	if !strings.Contains(logs.String(), "dropping them") {
		t.Fatalf("the owner dropped nothing: %s", logs.String())
	}
}
