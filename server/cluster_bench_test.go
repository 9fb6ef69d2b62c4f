package server_test

import (
	"bytes"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	"rembuk/server"
)

// BenchmarkClusterAck measures the added hop: a command's round trip
// (send → its ack) from a client on the owner and from a client on
// another node, one command at a time, over real sockets and an embedded
// nats-server on one machine. It reports p50 and p99 of each in ms
// (docs/cluster.md, "Measured").
//
//	go test ./server -run '^$' -bench BenchmarkClusterAck -benchtime 500x
func BenchmarkClusterAck(b *testing.B) {
	tc := startCluster(b, 2, 10*time.Second, clusterOpts{mod: func(c *server.Config) {
		c.CommandRate, c.CommandBurst = 1e6, 1e6
	}})
	a, n2 := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	local, w := a.connect(s.ID, s.FacilitatorToken, nil)
	j := n2.join(s.JoinCode, "Ani")
	remote, _ := n2.connect(s.ID, j.Token, nil)
	col := columnIDs(w)[0]
	for _, c := range []struct {
		name string
		w    *wsClient
	}{{"local", local}, {"forwarded", remote}} {
		b.Run(c.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			run := time.Now().UnixNano() // refs unique to this run: a repeated ref is answered without a commit
			for i := 0; i < b.N; i++ {
				c.w.backlog = c.w.backlog[:0]
				c.w.raw.Reset()
				start := time.Now()
				c.w.ack("note.add", fmt.Sprintf("%s-%d-%d", c.name, run, i), map[string]any{"columnId": col, "text": "ukur"})
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkClusterFanout measures an event's fan-out to a node that holds
// every connection of a room: K participants on node b ("other"), the
// session owned by node a; per op one of them adds a note, and the op
// ends when all K have the event. The same with the K on node a
// ("owner") is the local reference. It reports p50 and p99 in ms, the
// link messages the owner published to node b per op, and the process's
// CPU per op (docs/cluster.md, "The added hop, measured").
//
//	go test ./server -run '^$' -bench BenchmarkClusterFanout -benchtime 300x -count 3
func BenchmarkClusterFanout(b *testing.B) {
	for _, k := range []int{20, 200} {
		for _, on := range []string{"owner", "other"} {
			b.Run(fmt.Sprintf("conns=%d/on=%s", k, on), func(b *testing.B) { benchFanout(b, k, on == "other") })
		}
	}
}

func benchFanout(b *testing.B, k int, remote bool) {
	tc := startCluster(b, 2, 10*time.Second, clusterOpts{mod: func(c *server.Config) {
		c.CommandRate, c.CommandBurst = 1e6, 1e6
	}})
	a, n2 := tc.nodes[0], tc.nodes[1]
	s := a.create("masalah-inovasi")
	_, w := a.connect(s.ID, s.FacilitatorToken, nil)
	col := columnIDs(w)[0]
	on := a
	if remote {
		on = n2
	}
	cs := make([]*wsClient, k)
	for i := range cs {
		j := on.join(s.JoinCode, fmt.Sprintf("Peserta %d", i))
		cs[i], _ = on.connect(s.ID, j.Token, nil)
	}
	// Let the joins' presence frames pass before measuring.
	cs[0].send(cmdOf("note.add", "warmup", map[string]any{"columnId": col, "text": "mulai"}))
	for _, c := range cs {
		nextEvent(b, c)
	}
	lat := make([]time.Duration, 0, b.N)
	run := time.Now().UnixNano()
	before := a.lossy.published("rembuk.node.b")
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		cs[0].send(cmdOf("note.add", fmt.Sprintf("fan-%d-%d", run, i), map[string]any{"columnId": col, "text": "ukur"}))
		for _, c := range cs {
			nextEvent(b, c)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	msgs := a.lossy.published("rembuk.node.b") - before
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(msgs)/float64(b.N), "msgs/op")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime is the CPU the test process has used (both nodes, the
// nats-server and the clients are all in it): unlike the latencies, it
// hardly moves with what else the machine runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// nextEvent waits for the client's next event frame, skipping the rest,
// without decoding (the decoding of 200 clients' frames would be timed).
func nextEvent(tb testing.TB, w *wsClient) {
	tb.Helper()
	for {
		select {
		case f := <-w.frames:
			if bytes.HasPrefix(f, []byte(`{"type":"event"`)) {
				return
			}
		case <-time.After(5 * time.Second):
			tb.Fatalf("no event within 5s")
		}
	}
}
