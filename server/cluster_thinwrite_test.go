package server

import (
	"bufio"
	"strings"
	"testing"
	"time"
)

// On a node that does not own the session, a link message carrying an
// event for its connections is written to their sockets by the goroutine
// that received it — no writer woken — and the sender's ack, in a later
// entry of the same message, follows its event on that socket. With more
// connections than a small room's, the writers are woken as before.
func TestThinLinkWritesDirect(t *testing.T) {
	for _, n := range []int{12, directMaxClients + 1} {
		p := &proxy{id: "s1", conns: map[*client]*thinConn{}, byRID: map[uint64]*thinConn{},
			links: map[uint64]uint64{}, partial: map[uint64][]byte{}}
		peers := make([]*bufio.Reader, n)
		outs := make([]*outbox, n)
		rids := make([]uint64, n)
		for i := range n {
			srv, cli := socketPair(t)
			cl := &client{out: newOutbox()}
			cl.out.raw = rawConnOf(srv)
			cli.SetReadDeadline(time.Now().Add(5 * time.Second))
			peers[i], outs[i], rids[i] = bufio.NewReader(cli), cl.out, uint64(100+i)
			tc := &thinConn{cl: cl, rid: rids[i], lastSeq: 6, welcomed: true}
			p.conns[cl], p.byRID[rids[i]] = tc, tc
		}
		event := []byte(`{"type":"event","seq":7,"name":"note.added","data":{"text":"Antrean"}}`)
		ack := []byte(`{"type":"ack","ref":"r1","seq":7}`)
		var payload []byte
		payload = appendEntry(payload, linkFrame, 0, rids, event)
		payload = appendEntry(payload, linkFrame, 0, rids[3:4], ack)
		p.deliver(linkHeader{Kind: linkFan, Link: 1, Seq: 1, Session: "s1"}, payload)
		for i, o := range outs {
			if n > directMaxClients {
				if !woken(o) || len(o.frames) == 0 {
					t.Fatalf("%d connections: %d not left to its writer", n, i)
				}
				continue
			}
			if woken(o) || len(o.frames) != 0 {
				t.Fatalf("%d connections: %d woken or still queued", n, i)
			}
			if got := readText(t, peers[i]); !strings.Contains(got, `"note.added"`) {
				t.Fatalf("connection %d got %q first", i, got)
			}
			if i == 3 {
				if got := readText(t, peers[i]); !strings.HasPrefix(got, `{"type":"ack","ref":"r1"`) {
					t.Fatalf("the sender got %q after its event", got)
				}
			}
		}
	}
}
