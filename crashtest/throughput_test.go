package crashtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"rembuk/internal/testenv"
)

// slowFsyncLib builds ../shared/tools/slowfsync.c (or takes
// REMBUK_SLOWFSYNC_SO) and returns the library's path.
func slowFsyncLib(t *testing.T) string {
	t.Helper()
	if so := os.Getenv("REMBUK_SLOWFSYNC_SO"); so != "" {
		return so
	}
	src := os.Getenv("REMBUK_SLOWFSYNC_C")
	if src == "" {
		src = "../../shared/tools/slowfsync.c"
	}
	if _, err := os.Stat(src); err != nil {
		t.Skipf("no slowfsync.c at %s (set REMBUK_SLOWFSYNC_C)", src)
	}
	so := filepath.Join(t.TempDir(), "slowfsync.so")
	if out, err := exec.Command("gcc", "-shared", "-fPIC", "-O2", "-o", so, src, "-ldl").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	return so
}

// The real binary's edits per second, with this machine's fsync and with a
// 2 ms fsync (LD_PRELOAD), over the HTTP fallback (64 senders, each
// waiting for its ack) and over WebSockets (clients at the per-connection
// rate limit). Set REMBUK_MEASURE=1; the numbers go to docs/operations.md.
func TestThroughputSlowFsync(t *testing.T) {
	if os.Getenv("REMBUK_MEASURE") != "1" {
		t.Skip("set REMBUK_MEASURE=1 to measure (about a minute)")
	}
	so := slowFsyncLib(t)
	us := os.Getenv("SLOW_FSYNC_US")
	if us == "" {
		us = "2000"
	}
	for _, c := range []struct {
		name string
		env  []string
	}{
		{"this machine's fsync", nil},
		{"fsync slowed by " + us + " µs", []string{"LD_PRELOAD=" + so, "SLOW_FSYNC_US=" + us}},
	} {
		db := filepath.Join(t.TempDir(), "rembuk.db")
		// REMBUK_MEASURE_RATE=26 REMBUK_MEASURE_COMMAND_RATE=30: 500
		// sockets offer 13,000/s, past the default per-person limit
		// (20/s), which the server is then started with.
		args := []string{"-db", db, "-sessions-per-hour", "0"}
		if lim := os.Getenv("REMBUK_MEASURE_COMMAND_RATE"); lim != "" {
			args = append(args, "-command-rate", lim)
		}
		p := &proc{testenv.StartNode(t, testenv.NodeConfig{Args: args, Env: c.env})}
		wsRate := 19.0
		if r, err := strconv.ParseFloat(os.Getenv("REMBUK_MEASURE_RATE"), 64); err == nil && r > 0 {
			wsRate = r
		}
		serial := measureHTTP(t, p.URL, 1, 1, 3*time.Second)
		httpRate := measureHTTP(t, p.URL, 16, 64, 5*time.Second)
		// 500 connections offer 9,500 edits/s (the limit is 20/s per
		// connection); REMBUK_MEASURE_WS_SESSIONS=140 offers 13,300/s.
		wsSessions := 100
		if n, err := strconv.Atoi(os.Getenv("REMBUK_MEASURE_WS_SESSIONS")); err == nil && n > 0 {
			wsSessions = n
		}
		acked, conns, cpu, genCPU := measureWS(t, p.URL, p.Pid(), wsSessions, 5, wsRate, 5*time.Second)
		p.stop(t, 5*time.Second)
		// CPU per edit is steadier than edits/s on a shared machine.
		t.Logf("%s: one sender waiting for each ack: %.0f edits/s; HTTP fallback, 64 senders in 16 sessions: %.0f edits/s; WebSocket, %d connections at %g/s each (%.0f/s offered): %.0f edits/s (server CPU %.2f cores, %.0f µs per edit; generator %.2f cores)",
			c.name, serial, httpRate, conns, wsRate, float64(conns)*wsRate, acked, cpu, 1e6*cpu/acked, genCPU)
	}
}

// measureHTTP posts note.add from senders goroutines spread over sessions
// sessions for d and returns acked edits per second.
func measureHTTP(t *testing.T, url string, sessions, senders int, d time.Duration) float64 {
	// Each sender takes turns among several participants of its own: the
	// command rate (20/s, burst 40) is per person across transports, so a
	// sender with one seat would measure the limiter, not the store.
	k := max(4, (64+senders-1)/senders)
	seats := setupSessions(t, url, sessions, (senders+sessions-1)/sessions*k)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	var acked atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for g := 0; g < senders; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(stop); i++ {
				seat := seats[g%sessions][g/sessions*k+i%k]
				body, _ := json.Marshal(map[string]any{"type": "note.add", "ref": fmt.Sprintf("g%d-%d", g, i), "columnId": seat.Column,
					"text": fmt.Sprintf("Antrean loket pelayanan terlalu panjang (%d/%d)", g, i)})
				req, _ := http.NewRequest("POST", url+"/api/sessions/"+seat.Session+"/commands", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+seat.Token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode == 200 {
					acked.Add(1)
				}
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	return float64(acked.Load()) / time.Since(start).Seconds()
}

// measureWS opens per connections in each of sessions sessions, each
// sending note.add at rate per second (under the 20/s limit) for d, and
// returns acked edits per second, the number of connections and the
// server's (process pid's) CPU over the window, in cores.
// measureWS returns the acked edits/s, the connections, and the server's
// and this process's (the generator's) CPU in cores.
func measureWS(t *testing.T, url string, pid, sessions, per int, rate float64, d time.Duration) (acked float64, conns int, cpu, genCPU float64) {
	seats := setupSessions(t, url, sessions, per)
	var acks, refused atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var ready sync.WaitGroup
	for _, s := range seats {
		for _, seat := range s {
			conns++
			wg.Add(1)
			ready.Add(1)
			go func(n int) {
				defer wg.Done()
				ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http")+"/ws/sessions/"+seat.Session, nil)
				if err != nil {
					ready.Done()
					t.Error(err)
					return
				}
				defer ws.Close()
				ws.WriteJSON(map[string]any{"type": "hello", "token": seat.Token})
				ws.ReadMessage()
				ready.Done()
				// The generator shares the 2 cores with the server: it reads
				// each frame into one reused buffer and writes frames it
				// renders by hand, so that its own CPU per edit stays small
				// and the server, not the load, is what is measured.
				go func() {
					var buf bytes.Buffer
					for {
						_, r, err := ws.NextReader()
						if err != nil {
							return
						}
						buf.Reset()
						if _, err := buf.ReadFrom(r); err != nil {
							return
						}
						data := buf.Bytes()
						if bytes.HasPrefix(data, []byte(`{"type":"ack"`)) {
							acks.Add(1)
						} else if bytes.Contains(data, []byte(`"code":"rate_limited"`)) {
							refused.Add(1)
						}
					}
				}()
				tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
				defer tick.Stop()
				column, _ := json.Marshal(seat.Column)
				var frame []byte
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					frame = noteAddFrame(frame[:0], n, i, column)
					if ws.WriteMessage(websocket.TextMessage, frame) != nil {
						return
					}
				}
			}(conns)
		}
	}
	ready.Wait()
	a0, cpu0, gen0 := acks.Load(), procCPU(pid), procCPU(os.Getpid())
	start := time.Now()
	time.Sleep(d)
	el := time.Since(start).Seconds()
	acked, cpu = float64(acks.Load()-a0)/el, (procCPU(pid)-cpu0).Seconds()/el
	genCPU = (procCPU(os.Getpid()) - gen0).Seconds() / el
	close(stop)
	wg.Wait()
	if n := refused.Load(); n > 0 {
		// A server that fell behind reads each connection's waiting
		// commands in a burst, and the per-person limit refuses them.
		t.Logf("%d commands refused as rate_limited", n)
	}
	return acked, conns, cpu, genCPU
}

// noteAddFrame appends to b the note.add of sender n's i-th edit (ref
// w<n>-<i>) for the column whose JSON string is column.
func noteAddFrame(b []byte, n, i int, column []byte) []byte {
	b = append(b, `{"type":"note.add","ref":"w`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `","columnId":`...)
	b = append(b, column...)
	b = append(b, `,"text":"Antrean loket pelayanan terlalu panjang (`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(i), 10)
	return append(b, `)"}`...)
}

// procCPU is a process's user and system CPU time so far, from
// /proc/PID/stat (clock ticks of 10 ms); 0 where there is no /proc.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's closing parenthesis: state is the
	// first, utime and stime the 12th and 13th.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond
}
