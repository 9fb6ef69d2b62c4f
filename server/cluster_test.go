package server_test

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"

	"rembuk/natsbroker"
	"rembuk/server"
	"rembuk/store"
)

var _ server.Leases = (*store.DB)(nil)

// clusterNode is one server of a cluster in this process: its own
// listener and broker connection, the shared store.
type clusterNode struct {
	*testServer
	id     string
	broker *natsbroker.Broker
	lossy  *lossyBroker
}

// lossyBroker is the real broker, losing the next drop messages published
// to subject (as a slow consumer or a reconnect loses them).
type lossyBroker struct {
	*natsbroker.Broker
	mu      sync.Mutex
	subject string
	drop    int
	sent    map[string]int // messages published, by subject
	hold    chan struct{}  // when set, publishing to subject waits until it closes
}

func (l *lossyBroker) lose(subject string, n int) {
	l.mu.Lock()
	l.subject, l.drop = subject, n
	l.mu.Unlock()
}

func (l *lossyBroker) Publish(subject string, data []byte) error {
	l.mu.Lock()
	lost := subject == l.subject && l.drop > 0
	if lost {
		l.drop--
	}
	if l.sent == nil {
		l.sent = map[string]int{}
	}
	l.sent[subject]++
	var hold chan struct{}
	if subject == l.subject {
		hold = l.hold
	}
	l.mu.Unlock()
	if lost {
		return nil
	}
	if hold != nil {
		<-hold
	}
	return l.Broker.Publish(subject, data)
}

// testCluster is n nodes over one SQLite file and an embedded
// nats-server, with short timings: lease TTL ttl, heartbeats of 100 ms.
type testCluster struct {
	t     testing.TB
	db    *store.DB
	nodes []*clusterNode
	ttl   time.Duration
	url   string // the nats-server's ("" for none)
	mod   func(*server.Config)
}

// addNode starts a node named id (a second one of a name is that node
// restarted).
func (tc *testCluster) addNode(id string) *clusterNode {
	t, db, ttl, url := tc.t, tc.db, tc.ttl, tc.url
	var err error
	cc := server.ClusterConfig{Leases: db, NodeID: id, LeaseTTL: ttl,
		Heartbeat: 100 * time.Millisecond, Retry: 50 * time.Millisecond, RequestTimeout: 300 * time.Millisecond}
	var b *natsbroker.Broker
	var lb *lossyBroker
	if url != "" {
		if b, err = natsbroker.Dial(url, id, nil); err != nil {
			t.Fatal(err)
		}
		lb = &lossyBroker{Broker: b}
		cc.Broker = lb
	}
	cfg := server.Config{Store: db, Logger: testLogger(t).With("node", id), Cluster: cc}
	if tc.mod != nil {
		tc.mod(&cfg)
	}
	srv := server.New(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, URL: "http://" + ln.Addr().String(), Srv: srv, done: make(chan error, 1)}
	go func() { ts.done <- srv.Serve(ln) }()
	node := &clusterNode{testServer: ts, id: id, broker: b, lossy: lb}
	t.Cleanup(node.stop)
	return node
}

// startNATS runs a nats-server in the test process (maxPayload 0: its
// default, 1 MiB).
func startNATS(t testing.TB, maxPayload int32) string {
	t.Helper()
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true, MaxPayload: maxPayload})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(ns.Shutdown)
	return ns.ClientURL()
}

// clusterOpts vary a test cluster: the broker's largest message, and no
// broker at all (PostgreSQL alone: leases only).
type clusterOpts struct {
	maxPayload int32
	noBroker   bool
	mod        func(*server.Config)
}

func startCluster(t testing.TB, n int, ttl time.Duration, opts ...clusterOpts) *testCluster {
	t.Helper()
	var o clusterOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "rembuk.db"), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	url := ""
	if !o.noBroker {
		url = startNATS(t, o.maxPayload)
	}
	tc := &testCluster{t: t, db: db, ttl: ttl, url: url, mod: o.mod}
	for i := 0; i < n; i++ {
		tc.nodes = append(tc.nodes, tc.addNode(string(rune('a'+i))))
	}
	return tc
}

// stop shuts the node down (its rooms give their leases back) and closes
// its broker connection; the shared store stays open.
func (n *clusterNode) stop() {
	if n.Srv == nil {
		return
	}
	n.Srv.FreezeCluster(false)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := n.Srv.Shutdown(ctx); err != nil {
		n.t.Errorf("shutdown %s: %v", n.id, err)
	}
	<-n.done
	if n.broker != nil {
		n.broker.Close()
	}
	n.Srv = nil
}

// owner names the node holding the session's lease.
func (tc *testCluster) owner(id string) string {
	node, _, err := tc.db.LeaseOwner(context.Background(), id)
	if err != nil {
		tc.t.Fatal(err)
	}
	return node
}

// eventSeqs lists the seq of every event frame the client has read, in
// the order read.
func eventSeqs(t *testing.T, w *wsClient) []int64 {
	t.Helper()
	var out []int64
	for _, line := range strings.Split(strings.TrimSpace(w.raw.String()), "\n") {
		var f struct {
			Type string `json:"type"`
			Seq  int64  `json:"seq"`
		}
		if json.Unmarshal([]byte(line), &f) == nil && f.Type == "event" {
			out = append(out, f.Seq)
		}
	}
	return out
}

// readUntilSeq reads frames until an event with seq upTo has been read.
func readUntilSeq(t *testing.T, w *wsClient, upTo int64) {
	t.Helper()
	for {
		for _, s := range eventSeqs(t, w) {
			if s >= upTo {
				return
			}
		}
		f := w.read()
		w.backlog = append(w.backlog, f)
	}
}

// checkContiguous fails unless seqs are from..to, each once, in order.
func checkContiguous(t *testing.T, who string, seqs []int64, from, to int64) {
	t.Helper()
	if int64(len(seqs)) != to-from+1 {
		t.Fatalf("%s saw seqs %v, want %d..%d", who, seqs, from, to)
	}
	for i, s := range seqs {
		if s != from+int64(i) {
			t.Fatalf("%s saw seqs %v, want %d..%d each once in order", who, seqs, from, to)
		}
	}
}

// A participant whose socket is on a node that does not own the session
// joins, edits and sees every seq once and in order, its acks after
// their events; the owner's own client sees the same.
func TestClusterForwardedClient(t *testing.T) {
	// Frames of over 2 KiB (the welcomes) cross in chunks.
	tc := startCluster(t, 2, 2*time.Second, clusterOpts{maxPayload: 2048})
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, w := a.connect(s.ID, s.FacilitatorToken, nil)
	if got := tc.owner(s.ID); got != "a" {
		t.Fatalf("owner %q, want a", got)
	}
	p := b.join(s.JoinCode, "Ani") // forwarded to a
	cp, wp := b.connect(s.ID, p.Token, nil)
	col := columnIDs(w)[0]
	base := num(wp["board"].(map[string]any)["seq"])
	var last int64
	for i := 0; i < 10; i++ {
		ack := cp.ack("note.add", "p"+string(rune('0'+i)), map[string]any{"columnId": col, "text": "catatan dari node b"})
		fac.ack("note.add", "f"+string(rune('0'+i)), map[string]any{"columnId": col, "text": "catatan fasilitator"})
		last = num(ack["seq"])
	}
	// The HTTP fallback on b is forwarded too.
	var httpAck map[string]any
	if st := b.do("POST", "/api/sessions/"+s.ID+"/commands", p.Token, map[string]any{"type": "note.add", "ref": "h1", "columnId": col, "text": "lewat HTTP"}, &httpAck); st != 200 || httpAck["type"] != "ack" {
		t.Fatalf("forwarded HTTP command: %d %v", st, httpAck)
	}
	if num(httpAck["seq"]) <= last {
		t.Fatalf("forwarded HTTP command acked at seq %v, after the socket's %d", httpAck["seq"], last)
	}
	last = num(httpAck["seq"])
	var board map[string]any
	if st := b.do("GET", "/api/sessions/"+s.ID+"/board", p.Token, nil, &board); st != 200 || num(board["seq"]) != last {
		t.Fatalf("board read on b: %d seq %v, want %d", st, board["seq"], last)
	}
	readUntilSeq(t, cp, last)
	readUntilSeq(t, fac, last)
	checkContiguous(t, "forwarded client", eventSeqs(t, cp), base+1, last)
	checkContiguous(t, "owner's client", eventSeqs(t, fac), num(w["board"].(map[string]any)["seq"])+1, last)
	// Event before ack: each ack of the forwarded client follows its event.
	seen := map[int64]bool{}
	for _, line := range strings.Split(cp.raw.String(), "\n") {
		var f struct {
			Type string `json:"type"`
			Seq  int64  `json:"seq"`
		}
		json.Unmarshal([]byte(line), &f)
		switch f.Type {
		case "event":
			seen[f.Seq] = true
		case "ack":
			if !seen[f.Seq] {
				t.Fatalf("ack of seq %d before its event", f.Seq)
			}
		}
	}
}

// acksOf counts the ack frames for ref the client has read.
func acksOf(w *wsClient, ref string) int {
	n := 0
	for _, line := range strings.Split(w.raw.String(), "\n") {
		var f struct{ Type, Ref string }
		if json.Unmarshal([]byte(line), &f) == nil && f.Type == "ack" && f.Ref == ref {
			n++
		}
	}
	return n
}

// The owner stops: a surviving node takes the session over within TTL +
// 1 s; clients on the survivors keep their sockets and see the seqs go on
// without a gap, and each command is acked exactly once.
func TestClusterOwnerStops(t *testing.T) {
	ttl := time.Second
	tc := startCluster(t, 3, ttl)
	a, b, c := tc.nodes[0], tc.nodes[1], tc.nodes[2]
	s := a.create("masalah-inovasi")
	_, w := a.connect(s.ID, s.FacilitatorToken, nil)
	col := columnIDs(w)[0]
	j1, j2 := b.join(s.JoinCode, "Ani"), c.join(s.JoinCode, "Bayu")
	c1, w1 := b.connect(s.ID, j1.Token, nil)
	c2, w2 := c.connect(s.ID, j2.Token, nil)
	base1, base2 := num(w1["board"].(map[string]any)["seq"]), num(w2["board"].(map[string]any)["seq"])
	var refs1, refs2 []string
	add := func(cl *wsClient, refs *[]string, ref string) int64 {
		*refs = append(*refs, ref)
		return num(cl.ack("note.add", ref, map[string]any{"columnId": col, "text": "catatan " + ref})["seq"])
	}
	for i := 0; i < 5; i++ {
		add(c1, &refs1, "b-before-"+string(rune('0'+i)))
		add(c2, &refs2, "c-before-"+string(rune('0'+i)))
	}
	stopped := time.Now()
	a.stop()
	first := add(c1, &refs1, "b-after-0")
	if d := time.Since(stopped); d > ttl+time.Second {
		t.Errorf("first ack after the owner stopped took %v, want at most TTL+1s", d)
	}
	var last int64
	for i := 1; i < 5; i++ {
		add(c1, &refs1, "b-after-"+string(rune('0'+i)))
		last = add(c2, &refs2, "c-after-"+string(rune('0'+i)))
	}
	if owner := tc.owner(s.ID); owner != "b" && owner != "c" {
		t.Fatalf("owner after the stop: %q", owner)
	}
	if first <= 11 {
		t.Fatalf("first seq after the stop %d, want after the 12 before it", first)
	}
	readUntilSeq(t, c1, last)
	readUntilSeq(t, c2, last)
	checkContiguous(t, "client on b", eventSeqs(t, c1), base1+1, last)
	checkContiguous(t, "client on c", eventSeqs(t, c2), base2+1, last)
	for _, x := range []struct {
		w    *wsClient
		refs []string
	}{{c1, refs1}, {c2, refs2}} {
		for _, ref := range x.refs {
			if n := acksOf(x.w, ref); n != 1 {
				t.Errorf("%s acked %d times, want once", ref, n)
			}
		}
	}
	select {
	case <-c1.closed:
		t.Fatalf("client on b was closed: %v", c1.closeErr)
	case <-c2.closed:
		t.Fatalf("client on c was closed: %v", c2.closeErr)
	default:
	}
}

// An owner that stops answering (SIGSTOP) loses its lease: another node
// takes over within TTL + 1 s and the forwarded command sent meanwhile is
// acked once there; the stale owner's next Submit is fenced, stores
// nothing, and its clients are closed with 1013.
func TestClusterStaleOwnerFenced(t *testing.T) {
	ttl := time.Second
	tc := startCluster(t, 2, ttl)
	a, b := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	fac, w := a.connect(s.ID, s.FacilitatorToken, nil)
	col := columnIDs(w)[0]
	j := b.join(s.JoinCode, "Ani")
	cp, wp := b.connect(s.ID, j.Token, nil)
	base := num(wp["board"].(map[string]any)["seq"])
	cp.ack("note.add", "p0", map[string]any{"columnId": col, "text": "sebelum"})

	a.Srv.FreezeCluster(true)
	frozen := time.Now()
	ack := cp.ack("note.add", "p1", map[string]any{"columnId": col, "text": "selama beku"})
	if d := time.Since(frozen); d > ttl+time.Second {
		t.Errorf("ack after the owner froze took %v, want at most TTL+1s", d)
	}
	if owner := tc.owner(s.ID); owner != "b" {
		t.Fatalf("owner after the freeze: %q, want b", owner)
	}
	// The stale owner still has its room and its facilitator's socket.
	e := fac.cmd("note.add", "stale", map[string]any{"columnId": col, "text": "basi"})
	if e["type"] != "error" || e["code"] != "unavailable" {
		t.Fatalf("stale owner's command: %v, want error unavailable", e)
	}
	if code := fac.waitClose(); code != 1013 {
		t.Fatalf("stale owner's client closed with %d, want 1013", code)
	}
	next := cp.ack("note.add", "p2", map[string]any{"columnId": col, "text": "sesudah"})
	if num(next["seq"]) != num(ack["seq"])+1 {
		t.Fatalf("seq after the fenced batch %v, want %d: the stale batch took a seq", next["seq"], num(ack["seq"])+1)
	}
	readUntilSeq(t, cp, num(next["seq"]))
	checkContiguous(t, "client on b", eventSeqs(t, cp), base+1, num(next["seq"]))
	for _, ref := range []string{"p0", "p1", "p2"} {
		if n := acksOf(cp, ref); n != 1 {
			t.Errorf("%s acked %d times, want once", ref, n)
		}
	}
	evs, err := tc.db.EventsSince(context.Background(), s.ID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if raw, _ := json.Marshal(ev); strings.Contains(string(raw), "basi") {
			t.Fatalf("the stale owner's change was stored: %s", raw)
		}
	}
}
