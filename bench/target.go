package main

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// variant is one server the workloads run against: the baseline hub or
// Rembuk, the latter optionally with every fsync slowed down.
type variant struct {
	Name    string // column name in the table
	Kind    string // "baseline" or "rembuk"
	FsyncUS int    // >0: run under the slowfsync shim
	PG      bool   // on a fresh PostgreSQL database instead of a SQLite file
	Nodes   int    // 2: two nodes on PostgreSQL and NATS, the clients on the non-owner (cluster.go)
	Split   bool   // two nodes with half of each session's clients on the owner, half on the other (cluster.go)
}

// target is a running server process of one variant.
type target struct {
	v    variant
	base string // http://127.0.0.1:PORT
	cmd  *exec.Cmd
	dir  string
	done chan error
	// closeFn stops an in-process server (the smoke test's baseline).
	closeFn func()
	dropDB  func() // drops the run's PostgreSQL database
	// peer is node B of a two-node target: every client connects there,
	// while the sessions are created (and owned) through this node, A.
	peer  *target
	dbURL string // the run's PostgreSQL database (two nodes)
}

var listenLine = regexp.MustCompile(`listening on (http://\S+)`)

// builds holds what the invocation built once: the Rembuk binary, the
// slowfsync shim, and this binary (which serves the baseline).
type builds struct {
	rembuk  string
	shim    string
	self    string
	profDir string // when set, the Rembuk binary writes CPU profiles here
	pg      string // the PostgreSQL server of the "rembuk pg" variant
	broker  string // the NATS server of the "rembuk 2 nodes" variant
}

// startTarget starts a fresh server of v on 127.0.0.1:0 with an empty
// database and waits for its first stdout line.
func startTarget(b *builds, v variant, profName string) (t *target, err error) {
	dir, err := os.MkdirTemp("", "rembuk-bench-")
	if err != nil {
		return nil, err
	}
	var cmd *exec.Cmd
	switch v.Kind {
	case "baseline":
		cmd = exec.Command(b.self, "-serve-baseline", "-addr", "127.0.0.1:0")
		if b.profDir != "" && profName != "" {
			cmd.Args = append(cmd.Args, "-cpuprofile", filepath.Join(b.profDir, profName+".cpu.pprof"))
		}
	default:
		db := filepath.Join(dir, "bench.db")
		var drop func()
		if v.PG {
			if db, drop, err = pgDatabase(b.pg); err != nil {
				os.RemoveAll(dir)
				return nil, err
			}
		}
		args := []string{"-addr", "127.0.0.1:0", "-db", db, "-log-level", "error", "-sessions-per-hour", "0"}
		defer func() {
			if t == nil && drop != nil {
				drop()
			} else if t != nil {
				t.dropDB = drop
			}
		}()
		if v.Nodes == 2 {
			return startCluster(b, v, args, db, dir)
		}
		if b.profDir != "" && profName != "" {
			args = append(args, "-cpuprofile", filepath.Join(b.profDir, profName+".cpu.pprof"),
				"-memprofile", filepath.Join(b.profDir, profName+".mem.pprof"))
		}
		cmd = exec.Command(b.rembuk, args...)
		if v.FsyncUS > 0 {
			cmd.Env = append(os.Environ(), "LD_PRELOAD="+b.shim, "SLOW_FSYNC_US="+strconv.Itoa(v.FsyncUS))
		}
	}
	return launch(v, cmd, dir)
}

// launch starts a server process and waits for its first stdout line,
// which names its address.
func launch(v variant, cmd *exec.Cmd, dir string) (*target, error) {
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	t := &target{v: v, cmd: cmd, dir: dir, done: make(chan error, 1)}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		first := true
		for sc.Scan() {
			if first {
				lines <- sc.Text()
				first = false
			}
		}
	}()
	go func() { t.done <- cmd.Wait() }()
	select {
	case line := <-lines:
		m := listenLine.FindStringSubmatch(line)
		if m == nil {
			t.stop()
			return nil, fmt.Errorf("%s: unexpected first line %q", v.Name, line)
		}
		if err := checkLoopback(m[1]); err != nil {
			t.stop()
			return nil, err
		}
		t.base = m[1]
	case err := <-t.done:
		return nil, fmt.Errorf("%s exited before listening: %v", v.Name, err)
	case <-time.After(20 * time.Second):
		t.stop()
		return nil, fmt.Errorf("%s did not print its address in 20 s", v.Name)
	}
	return t, nil
}

// checkLoopback refuses any base URL whose host is not a loopback address:
// this tool generates load and must never aim it at another machine.
func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing non-loopback target %q: the load generator runs on 127.0.0.1 only", base)
	}
	return nil
}

// pid is the server's process (this one for an in-process server).
func (t *target) pid() int {
	if t.cmd == nil {
		return os.Getpid()
	}
	return t.cmd.Process.Pid
}

// stop sends SIGTERM (the server's graceful shutdown), then kills after 8 s.
func (t *target) stop() {
	if t.peer != nil {
		t.peer.stop()
	}
	if t.cmd == nil {
		if t.closeFn != nil {
			t.closeFn()
		}
		return
	}
	t.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-t.done:
	case <-time.After(8 * time.Second):
		t.cmd.Process.Kill()
		<-t.done
	}
	os.RemoveAll(t.dir)
	if t.dropDB != nil {
		t.dropDB()
	}
}

// procStat is a process's CPU time and memory at one moment.
type procStat struct {
	at     time.Time
	cpu    float64 // seconds of user+system time
	rssKB  int64
	peakKB int64 // VmHWM
}

// clockTick is USER_HZ; 100 on every Linux this runs on.
const clockTick = 100

func readProc(pid int) (procStat, error) {
	st := procStat{at: time.Now()}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return st, err
	}
	// Fields after the command name (which may hold spaces) start at ')'.
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return st, fmt.Errorf("short /proc/%d/stat", pid)
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	st.cpu = (ut + stime) / clockTick
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return st, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			st.rssKB = n
		case "VmHWM":
			st.peakKB = n
		}
	}
	return st, nil
}

// cores is the CPU used between two samples, in cores (1.0 = one core busy).
func cores(a, b procStat) float64 {
	d := b.at.Sub(a.at).Seconds()
	if d <= 0 {
		return 0
	}
	return (b.cpu - a.cpu) / d
}

// rssSampler records a process's largest RSS while it runs.
type rssSampler struct {
	stop chan struct{}
	done chan int64
}

func sampleRSS(pids ...int) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan int64, 1)}
	go func() {
		var peak int64
		tk := time.NewTicker(100 * time.Millisecond)
		defer tk.Stop()
		for {
			var sum int64
			for _, pid := range pids {
				if st, err := readProc(pid); err == nil {
					sum += st.rssKB
				}
			}
			peak = max(peak, sum)
			select {
			case <-tk.C:
			case <-s.stop:
				s.done <- peak
				return
			}
		}
	}()
	return s
}

// peakKB stops sampling and returns the largest RSS seen.
func (s *rssSampler) peakKB() int64 { close(s.stop); return <-s.done }

// machineIdle samples /proc/stat for d and returns the share of CPU time
// the whole machine spent idle: how much else was running besides us.
func machineIdle(d time.Duration) float64 {
	read := func() (idle, total float64) {
		raw, err := os.ReadFile("/proc/stat")
		if err != nil {
			return 0, 0
		}
		line, _, _ := strings.Cut(string(raw), "\n")
		for i, f := range strings.Fields(line)[1:] {
			v, _ := strconv.ParseFloat(f, 64)
			total += v
			if i == 3 || i == 4 { // idle, iowait
				idle += v
			}
		}
		return idle, total
	}
	i0, t0 := read()
	time.Sleep(d)
	i1, t1 := read()
	if t1 <= t0 {
		return 1
	}
	return (i1 - i0) / (t1 - t0)
}

// waitQuiet waits, at most limit, until the machine is at least min idle
// over a second, and returns the idle share it last saw.
func waitQuiet(min float64, limit time.Duration) float64 {
	deadline := time.Now().Add(limit)
	for {
		idle := machineIdle(time.Second)
		if idle >= min || time.Now().After(deadline) {
			return idle
		}
	}
}
