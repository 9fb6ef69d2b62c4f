package server_test

// A measurement, not a unit test (issue 9, item 2): run with
//
//	REMBUK_MEMTEST=1 go test ./server -run TestMemoryManySockets -v -count=1
//
// (REMBUK_MEMTEST_NOTES=5000 for a board at the caps, ~22 MB of JSON).
// It opens 150 WebSockets on a ~5.7 MiB board, says hello on each and
// never reads, and reports the server process's RSS (the test process is
// the server; its client side holds nothing of the frames).

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"rembuk/server"
)

// rssMiB reads the process's resident set from /proc.
func rssMiB(tb testing.TB) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc/self/status")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

func TestMemoryManySockets(t *testing.T) {
	if os.Getenv("REMBUK_MEMTEST") == "" {
		t.Skip("a measurement: set REMBUK_MEMTEST=1")
	}
	for _, tc := range []struct {
		name    string
		holders int // participants the sockets belong to
	}{{"one participant", 1}, {"19 participants, 8 sockets each", 19}} {
		t.Run(tc.name, func(t *testing.T) {
			notes := 1450 // ~5.7 MiB of notes, as in the issue
			if n, err := strconv.Atoi(os.Getenv("REMBUK_MEMTEST_NOTES")); err == nil {
				notes = n
			}
			ts, s, ps := bigBoard(t, notes, func(c *server.Config) {})
			toks := []string{ps[0].Token, ps[1].Token}
			for i := 2; i < tc.holders; i++ {
				toks = append(toks, ts.join(s.JoinCode, "Peserta "+strconv.Itoa(i)).Token)
			}
			_, w := ts.connect(s.ID, s.FacilitatorToken, nil)
			raw, _ := json.Marshal(w)
			runtime.GC()
			debug.FreeOSMemory()
			base := rssMiB(t)
			t.Logf("board %.1f MiB of JSON; RSS before %.0f MiB", float64(len(raw))/(1<<20), base)

			u := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/sessions/" + s.ID
			var conns []*websocket.Conn
			// A small receive buffer, so the kernel does not absorb the
			// welcome on the attacker's behalf (loopback buffers hold MBs).
			nd := &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
				return rc.Control(func(fd uintptr) {
					syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
				})
			}}
			d := &websocket.Dialer{ReadBufferSize: 1024, WriteBufferSize: 1024, NetDial: nd.Dial}
			for i := 0; i < 150; i++ {
				c, _, err := d.Dial(u, nil)
				if err != nil {
					t.Fatalf("dial %d: %v", i, err)
				}
				hello, _ := json.Marshal(map[string]any{"type": "hello", "token": toks[i%len(toks)]})
				c.WriteMessage(websocket.TextMessage, hello)
				conns = append(conns, c)
			}
			peak := 0.0
			for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
				peak = max(peak, rssMiB(t))
			}
			t.Logf("150 sockets that never read: RSS peak %.0f MiB (+%.0f MiB)", peak, peak-base)
			if peak-base > 250 {
				t.Errorf("RSS grew by %.0f MiB, want under 250 MiB", peak-base)
			}
			start := time.Now()
			for _, c := range conns {
				c.Close()
			}
			for {
				r := rssMiB(t)
				if r-base < 50 {
					t.Logf("RSS back to %.0f MiB after %v", r, time.Since(start).Round(100*time.Millisecond))
					break
				}
				if time.Since(start) > time.Minute {
					t.Errorf("RSS still %.0f MiB a minute after the sockets closed (before: %.0f)", r, base)
					break
				}
				time.Sleep(500 * time.Millisecond)
			}
		})
	}
}
