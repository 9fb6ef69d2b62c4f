package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"rembuk/internal/testenv"
	"strings"
	"testing"
	"time"
)

// TestSmoke is the CI version of the benchmark: a few seconds of steady
// load and a small paste against the real server binary on 127.0.0.1, and
// the same against the baseline hub. It asserts only that every event
// reached every reader and nobody was cut off; timings are printed, never
// asserted (they belong to docs/performance.md, not to a test).
func TestSmoke(t *testing.T) {
	bin := buildServer(t)
	rembuk, err := startTarget(&builds{rembuk: bin}, variant{Name: "rembuk", Kind: "rembuk"}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rembuk.stop)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: baselineHandler()}
	go srv.Serve(ln)
	baseline := &target{v: variant{Name: "baseline", Kind: "baseline"}, base: "http://" + ln.Addr().String(),
		closeFn: func() { srv.Close() }}
	t.Cleanup(baseline.stop)

	for _, tg := range []*target{baseline, rembuk} {
		t.Run(tg.v.Name, func(t *testing.T) { smoke(t, tg) })
	}
}

// buildServer builds the server binary into a temporary folder.
func buildServer(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain to build the server with")
	}
	repo, err := testenv.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "rembuk")
	build := exec.Command(goBin, "build", "-o", bin, ".")
	build.Dir, build.Env = repo, append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func smoke(t *testing.T, tg *target) {
	o := &options{quick: true}
	r, err := newRig(tg, 2, 20, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	m := r.steady(stepSpec{rate: 2, textLen: 60, warmup: 500 * time.Millisecond, measure: 2 * time.Second,
		drain: 10 * time.Second})
	t.Logf("steady 2×20 at 2/s: %s", brief("W1", m))
	check(t, "steady", m)

	m, err = w3(tg, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("paste 1,000 into 50: %s", brief("W3", m))
	check(t, "paste", m)
}

func check(t *testing.T, what string, m metrics) {
	t.Helper()
	if m["reach"] != 1 {
		t.Errorf("%s: reach = %v, want 1 (every event to every reader)", what, m["reach"])
	}
	if m["errors"] != 0 || m["disconnects"] != 0 {
		t.Errorf("%s: %v error frames, %v disconnects, want none", what, m["errors"], m["disconnects"])
	}
	if m["sent"] == 0 {
		t.Errorf("%s: nothing was sent", what)
	}
}

// TestRates: -rate turns W2 into one W2@RATE per rate, and only a
// well-formed W2@RATE names a rate.
func TestRates(t *testing.T) {
	got, err := expandRates([]string{"W1", "W2", "W3"}, "250, 3000")
	if err != nil || strings.Join(got, ",") != "W1,W2@250,W2@3000,W3" {
		t.Fatalf("expandRates = %v, %v", got, err)
	}
	if _, err := expandRates([]string{"W2"}, "fast"); err == nil {
		t.Fatal("a rate that is not a number was taken")
	}
	for name, want := range map[string]int{"W2@250": 250, "w2@3000": 3000, "W2@": 0, "W2@x": 0, "W2": 0, "W3@5": 0, "W2@30000": 0} {
		if n, _ := parseRate(name); n != want {
			t.Errorf("parseRate(%q) = %d, want %d", name, n, want)
		}
	}
}

// TestReportRatesAndTargets: the rate curve (W2 as its 1,000) and issue
// 12's target table are printed from the runs' figures.
func TestReportRatesAndTargets(t *testing.T) {
	vs := []variant{{Name: "baseline", Kind: "baseline"}, {Name: "rembuk", Kind: "rembuk"}, {Name: "rembuk fsync+2ms", Kind: "rembuk", FsyncUS: 2000}}
	var res []result
	for _, w := range []string{"W2", "W2@250"} {
		res = append(res,
			result{Workload: w, Variant: "baseline", Run: 1, Metrics: metrics{"cpu": 0.2, "p99": 2, "p50": 1, "reach": 1, "cpu_us_edit": 200}},
			result{Workload: w, Variant: "rembuk", Run: 1, Metrics: metrics{"cpu": 0.28, "p99": 5, "p50": 2, "reach": 1, "cpu_us_edit": 280}},
			result{Workload: w, Variant: "rembuk fsync+2ms", Run: 1, Metrics: metrics{"cpu": 0.5, "p99": 5, "p50": 4, "reach": 1, "cpu_us_edit": 500}})
	}
	var b strings.Builder
	printReport(&b, &options{runs: 1}, vs, res)
	out := b.String()
	for _, want := range []string{
		"| 250 | rembuk | 2.00 | 5.00 | 2.50× | 0.28 | 1.40× | 280.0 | 1.0000 |",
		"| 1000 | baseline |",
		"| server CPU (cores) ≤ 1.50× | rembuk | 0.20 | 0.28 | 1.40× | ✓ |",
		"| fan-out p99 (ms) ≤ 2.00× | rembuk | 2.00 | 5.00 | 2.50× | ✗ |",
		"| server CPU (cores) ≤ 3.00× | rembuk fsync+2ms | 0.20 | 0.50 | 2.50× | ✓ |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// TestReportSplit: a split run's groups are printed side by side with
// their difference, and the two-node table still shows the other variant.
func TestReportSplit(t *testing.T) {
	vs := []variant{{Name: "baseline", Kind: "baseline"}, {Name: "rembuk pg", Kind: "rembuk", PG: true},
		{Name: "rembuk 2 nodes", Kind: "rembuk", PG: true, Nodes: 2}, {Name: "rembuk 2 nodes split", Kind: "rembuk", PG: true, Nodes: 2, Split: true}}
	res := []result{
		{Workload: "W2", Variant: "baseline", Run: 1, Metrics: metrics{"p99": 2, "reach": 1}},
		{Workload: "W2", Variant: "rembuk pg", Run: 1, Metrics: metrics{"p99": 10, "reach": 1}},
		{Workload: "W2", Variant: "rembuk 2 nodes", Run: 1, Metrics: metrics{"p99": 30, "reach": 1}},
		{Workload: "W2", Variant: "rembuk 2 nodes split", Run: 1, Metrics: metrics{"p99": 12, "p99_local": 11, "p99_fwd": 12.5, "reach": 1, "cpu_a": 0.4, "cpu_b": 0.2, "cpu": 0.6}},
	}
	var b strings.Builder
	printReport(&b, &options{runs: 1}, vs, res)
	out := b.String()
	for _, want := range []string{
		"| W2 fan-out p99 (ms) | 2.00 | – | 10.00 | 30.00 |",
		"| W2 fan-out p99 (ms) | 11.00 | 12.50 | 1.50 | 12.00 |",
		"| W2 CPU node A / node B (cores) | 0.40 | 0.20 | | 0.60 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
