// Command bench is Rembuk's load generator. It builds the server, starts it
// (and the baseline hub, a bare broadcast server in this same binary) on
// 127.0.0.1, drives the workloads over real WebSockets, and prints a
// markdown table of the medians with each figure's ratio to the baseline
// measured in the same invocation.
//
//	go run ./bench -workloads all -runs 3 -fsync 0,2000
//
// See docs/performance.md for the workloads and the results.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"rembuk/internal/testenv"
)

type options struct {
	workloads []string
	runs      int
	fsync     []int
	quick     bool
	repo      string
	out       string
	profile   string
	w5Settle  time.Duration
	quiet     float64
	shimSrc   string
	postgres  string // a PostgreSQL server URL: Rembuk also runs on it
	cluster   bool   // also two nodes on -postgres and NATS, the clients on the non-owner
	split     bool   // also two nodes with half of each session's clients on the owner
	broker    string // the NATS server of -cluster; "" = start nats-server
}

func main() {
	serve := flag.Bool("serve-baseline", false, "serve the baseline hub (used by the generator itself)")
	addr := flag.String("addr", "127.0.0.1:0", "listen address of -serve-baseline (loopback only)")
	wl := flag.String("workloads", "all", "comma-separated: W1,W2,W3,W4,knee,W5,mixed or all; W2@RATE is W2 at RATE edits/s")
	runs := flag.Int("runs", 3, "runs of every workload (the table shows medians)")
	fsync := flag.String("fsync", "0,2000", "Rembuk variants by fsync delay in µs (0 = the disk as is; >0 uses ../shared/tools/slowfsync.c)")
	quick := flag.Bool("quick", false, "shorter measurement windows (a third)")
	repo := flag.String("repo", "", "the Rembuk module root (default: found from the working directory)")
	out := flag.String("out", "", "also write every raw figure as JSON here (default bench/out/results-TIME.json)")
	shim := flag.String("shim", "", "source of the fsync shim (default: ../shared/tools/slowfsync.c beside the repo)")
	quiet := flag.Float64("quiet", 0, "before each workload run, wait (at most 3 min) until the machine is this idle, e.g. 0.9; the idle share seen is recorded either way")
	w5settle := flag.Duration("w5-settle", 5*time.Second, "W5: idle time after the last connection before reading the RSS")
	rates := flag.String("rate", "", "run W2 at these edits/s in all instead of its 1,000, comma-separated (e.g. 250,1000,3000; workloads W2@RATE)")
	prof := flag.String("cpuprofile", "", "directory: run Rembuk as bench/cmd/profserver and write a CPU and heap profile per workload run (with -serve-baseline: the baseline's CPU profile file)")
	pgURL := flag.String("postgres", "", "also run Rembuk on PostgreSQL (-db postgres://…): a loopback server's URL, e.g. postgres://postgres@127.0.0.1:5432/postgres; every run gets a fresh database, dropped after it")
	cluster := flag.Bool("cluster", false, "also run Rembuk as two nodes on -postgres and NATS (variant \"rembuk 2 nodes\"): sessions created through node A, which owns them, every client connected to node B, so every command and frame crosses the hop")
	split := flag.Bool("cluster-split", false, "also run two nodes as -cluster does with half of each session's clients on node A, the owner, and half on node B (variant \"rembuk 2 nodes split\"), and report the two groups' latencies apart: local and forwarded under one load")
	broker := flag.String("broker", "", "the NATS server of -cluster and -cluster-split, a loopback nats://127.0.0.1:PORT (default: start nats-server on a free port for this invocation)")
	flag.Parse()
	if *serve {
		if err := checkLoopback("http://" + *addr); err != nil {
			fatal(err)
		}
		if *prof != "" {
			stopProfile := profileBaseline(*prof)
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
			go func() { <-sig; stopProfile(); os.Exit(0) }()
		}
		fatal(serveBaseline(*addr))
	}
	o := &options{runs: *runs, quick: *quick, repo: *repo, out: *out, profile: *prof, w5Settle: *w5settle, quiet: *quiet, shimSrc: *shim, postgres: *pgURL,
		cluster: *cluster, split: *split, broker: *broker}
	for _, w := range strings.Split(*wl, ",") {
		if w = strings.TrimSpace(w); strings.EqualFold(w, "all") {
			for _, x := range workloads {
				o.workloads = append(o.workloads, x.name)
			}
		} else if w != "" {
			o.workloads = append(o.workloads, w)
		}
	}
	var err error
	if o.workloads, err = expandRates(o.workloads, *rates); err != nil {
		fatal(err)
	}
	for _, f := range strings.Split(*fsync, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 {
			fatal(fmt.Errorf("-fsync: %q is not a delay in µs", f))
		}
		o.fsync = append(o.fsync, n)
	}
	if err := run(o); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

// build compiles the server (or the profiling wrapper), the fsync shim and
// notes this binary, once per invocation.
func build(o *options, needShim bool) (*builds, string, error) {
	if o.repo == "" {
		r, err := testenv.ModuleRoot()
		if err != nil {
			return nil, "", fmt.Errorf("%w; pass -repo", err)
		}
		o.repo = r
	}
	tmp, err := os.MkdirTemp("", "rembuk-bench-bin-")
	if err != nil {
		return nil, "", err
	}
	b := &builds{rembuk: filepath.Join(tmp, "rembuk"), profDir: o.profile}
	pkg := "."
	if o.profile != "" {
		pkg = "./bench/cmd/profserver"
		if err := os.MkdirAll(o.profile, 0o755); err != nil {
			return nil, tmp, err
		}
	}
	cmd := exec.Command("go", "build", "-o", b.rembuk, pkg)
	cmd.Dir, cmd.Stdout, cmd.Stderr = o.repo, os.Stderr, os.Stderr
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if err := cmd.Run(); err != nil {
		return nil, tmp, fmt.Errorf("go build %s: %w", pkg, err)
	}
	if needShim {
		src := o.shimSrc
		if src == "" {
			src = filepath.Join(o.repo, "..", "shared", "tools", "slowfsync.c")
		}
		b.shim = filepath.Join(tmp, "slowfsync.so")
		cmd := exec.Command("gcc", "-shared", "-fPIC", "-O2", "-o", b.shim, src, "-ldl")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, tmp, fmt.Errorf("building %s: %w", src, err)
		}
	}
	if b.self, err = os.Executable(); err != nil {
		return nil, tmp, err
	}
	return b, tmp, nil
}

// result is one workload run against one variant.
type result struct {
	Workload string  `json:"workload"`
	Variant  string  `json:"variant"`
	Run      int     `json:"run"`
	Metrics  metrics `json:"metrics"`
	Error    string  `json:"error,omitempty"`
}

// running is the server being measured, stopped if we are interrupted.
var running atomic.Pointer[target]

// natsRunning is the nats-server started for -cluster, stopped if we are
// interrupted.
var natsRunning atomic.Pointer[testenv.NATS]

// buildDir holds the binaries this invocation built.
var buildDir atomic.Value

func stopOnSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		if t := running.Load(); t != nil {
			t.stop()
		}
		if n := natsRunning.Load(); n != nil {
			stopNATS(n)
		}
		if d, ok := buildDir.Load().(string); ok {
			os.RemoveAll(d)
		}
		os.Exit(130)
	}()
}

func run(o *options) error {
	stopOnSignal()
	variants := []variant{{Name: "baseline", Kind: "baseline"}}
	needShim := false
	for _, us := range o.fsync {
		v := variant{Name: "rembuk", Kind: "rembuk", FsyncUS: us}
		if us > 0 {
			v.Name = fmt.Sprintf("rembuk fsync+%gms", float64(us)/1000)
			needShim = true
		}
		variants = append(variants, v)
	}
	if o.postgres != "" {
		if err := checkLoopbackPG(o.postgres); err != nil {
			return err
		}
		if o.profile != "" {
			return errors.New("-cpuprofile runs bench/cmd/profserver, which serves SQLite only; leave out -postgres")
		}
		variants = append(variants, variant{Name: "rembuk pg", Kind: "rembuk", PG: true})
	}
	if o.cluster || o.split {
		if o.postgres == "" {
			return errors.New("-cluster and -cluster-split need -postgres: the two nodes share their log in PostgreSQL")
		}
		if o.broker != "" {
			if err := checkLoopback(strings.Replace(o.broker, "nats://", "http://", 1)); err != nil {
				return fmt.Errorf("-broker: %w", err)
			}
		} else {
			n, err := testenv.LaunchNATS(os.Stderr)
			if errors.Is(err, testenv.ErrMissing) {
				return errors.New("-cluster needs nats-server (Debian package nats-server) or -broker nats://…")
			}
			if err != nil {
				return err
			}
			natsRunning.Store(n)
			defer stopNATS(n)
			o.broker = n.URL
		}
	}
	if o.cluster {
		variants = append(variants, variant{Name: "rembuk 2 nodes", Kind: "rembuk", PG: true, Nodes: 2})
	}
	if o.split {
		variants = append(variants, variant{Name: "rembuk 2 nodes split", Kind: "rembuk", PG: true, Nodes: 2, Split: true})
	}
	b, tmp, err := build(o, needShim)
	if tmp != "" {
		buildDir.Store(tmp)
		defer os.RemoveAll(tmp)
	}
	if err != nil {
		return err
	}
	b.pg, b.broker = o.postgres, o.broker
	byName := map[string]workload{"w3x8": {"W3x8", w3x8}}
	for _, w := range workloads {
		byName[strings.ToLower(w.name)] = w
	}
	var results []result
	start := time.Now()
	for runN := 1; runN <= o.runs; runN++ {
		for _, name := range o.workloads {
			w, ok := byName[strings.ToLower(name)]
			if n, at := parseRate(name); at {
				w, ok = w2Rate(n), true
			}
			if !ok {
				return fmt.Errorf("unknown workload %q", name)
			}
			for _, v := range variants {
				res := result{Workload: w.name, Variant: v.Name, Run: runN}
				profName := fmt.Sprintf("%s-%s-run%d", w.name, strings.ReplaceAll(strings.ReplaceAll(v.Name, " ", "-"), "+", ""), runN)
				idle := waitQuiet(o.quiet, 3*time.Minute)
				t, err := startTarget(b, v, profName)
				if err == nil {
					running.Store(t)
					res.Metrics, err = w.run(t, o)
					running.Store(nil)
					t.stop()
				}
				if res.Metrics != nil {
					res.Metrics["idle_before"] = idle
				}
				if err != nil {
					res.Error = err.Error()
					fmt.Fprintf(os.Stderr, "bench: %s on %s (run %d): %v\n", w.name, v.Name, runN, err)
				}
				fmt.Fprintf(os.Stderr, "[%5.0fs] run %d %-6s %-20s %s\n", time.Since(start).Seconds(), runN, w.name, v.Name, brief(w.name, res.Metrics))
				results = append(results, res)
			}
		}
	}
	if err := saveJSON(o, results); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
	}
	printReport(os.Stdout, o, variants, results)
	return nil
}

func saveJSON(o *options, results []result) error {
	path := o.out
	if path == "" {
		dir := filepath.Join(o.repo, "bench", "out")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		path = filepath.Join(dir, "results-"+time.Now().Format("20060102-150405")+".json")
	}
	b, err := json.MarshalIndent(results, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "bench: raw figures in", path)
	return os.WriteFile(path, b, 0o644)
}

// profileBaseline writes the baseline hub's CPU profile to path until the
// returned function is called.
func profileBaseline(path string) func() {
	f, err := os.Create(path)
	if err != nil {
		fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fatal(err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
