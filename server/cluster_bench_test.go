package server_test

import (
	"fmt"
	"slices"
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
