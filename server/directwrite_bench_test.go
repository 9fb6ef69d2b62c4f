package server

import (
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"rembuk/board"
)

// BenchmarkFanoutSockets: W2's room on real sockets — 20 connections on
// 127.0.0.1, each with a reader that drains it as a client would and a
// writer goroutine that drains its outbox as socketWriter does; one op is
// one note.add decided, "stored" in memory, acked and fanned out.
// writers: every frame goes through the connection's writer (the room
// cannot write itself: no raw socket), as before issue 12's second pass;
// direct: the room writes what a flush queued itself (directwrite.go).
// The figure that counts is cpu-µs/change (process CPU, every goroutine,
// after every byte was read): on a shared machine it is far steadier than
// the wall clock.
func BenchmarkFanoutSockets(b *testing.B) { fanoutSockets(b, 0) }

// BenchmarkFanoutSocketsPaced: the same with a change every 2 ms (open
// loop), so that, as in W2, each writer wakes for one change's frames.
// Run it with -benchtime 2500x (5 s).
func BenchmarkFanoutSocketsPaced(b *testing.B) { fanoutSockets(b, 2*time.Millisecond) }

func fanoutSockets(b *testing.B, every time.Duration) {
	for _, direct := range []bool{false, true} {
		name := "writers"
		if direct {
			name = "direct"
		}
		b.Run(fmt.Sprintf("clients=20/%s", name), func(b *testing.B) {
			const n = 20
			r, clients := perfRoom(b, n, board.DefaultSettings())
			r.deps.now = time.Now // the real clock: directMinGap reads it
			var readers, writers sync.WaitGroup
			var got [n]int64
			stop := make(chan struct{})
			for i, cl := range clients {
				srv, cli := benchPair(b)
				if direct {
					cl.out.raw = rawConnOf(srv)
				}
				readers.Add(1)
				go func() {
					defer readers.Done()
					got[i], _ = io.Copy(io.Discard, cli)
				}()
				writers.Add(1)
				go func() {
					defer writers.Done()
					defer srv.Close()
					nc := &lazyDeadline{Conn: srv}
					var buf []frame
					for {
						select {
						case <-cl.out.notify:
						case <-stop:
							return
						}
						rest, frames, _, _, _ := cl.out.claim(buf)
						writeRest(nc, rest)
						writeFrames(nc, frames)
						cl.out.release()
						clear(frames)
						buf = frames
					}
				}()
			}
			text := "Antrean loket pelayanan terlalu panjang pada jam sibuk"
			batch := make([]any, 1)
			b.ResetTimer()
			cpu0, t0 := benchCPU(), time.Now()
			next := t0
			for i := 0; i < b.N; i++ {
				if every > 0 {
					next = next.Add(every)
					time.Sleep(time.Until(next)) // the load's schedule, not synchronisation
				}
				if len(r.st.Notes) >= board.MaxNotes-1 {
					b.StopTimer()
					fresh, _ := perfRoom(b, n, board.DefaultSettings())
					r.st, r.refs = fresh.st, fresh.refs
					for _, cl := range clients {
						cl.viewer = board.ViewerOf(r.st.Participants[cl.participantID])
					}
					b.StartTimer()
				}
				batch[0] = commandMsg{cl: clients[i%n], cmd: board.Command{Type: "note.add", Ref: fmt.Sprint(i), ColumnID: "col1", Text: &text}}
				r.handle(batch)
			}
			// Every queued frame written (the writers finish their wake),
			// then every byte read.
			for _, cl := range clients {
				for {
					cl.out.mu.Lock()
					idle := len(cl.out.frames) == 0 && cl.out.rest == nil && !cl.out.busy
					cl.out.mu.Unlock()
					if idle {
						break
					}
					time.Sleep(time.Millisecond) // a benchmark's drain, not a test's synchronisation
				}
			}
			close(stop)
			writers.Wait()
			readers.Wait()
			el, cpu := time.Since(t0), benchCPU()-cpu0
			b.StopTimer()
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/change")
			b.ReportMetric(float64(cpu)/float64(el), "cores")
		})
	}
}

// benchPair is socketPair for a benchmark.
func benchPair(b *testing.B) (srv, cli net.Conn) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	acc := make(chan net.Conn, 1)
	go func() { c, _ := ln.Accept(); acc <- c }()
	if cli, err = net.Dial("tcp", ln.Addr().String()); err != nil {
		b.Fatal(err)
	}
	return <-acc, cli
}

func benchCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
