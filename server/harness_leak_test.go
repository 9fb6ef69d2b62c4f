package server_test

// The goroutine-leak check of every server a test starts. Goroutines are
// counted process-wide, and a test may run several servers at once (a
// restart, or the few t.Parallel tests side by side), so the check spans
// the live servers: the goroutines of the moment the first one started are
// the baseline, and when the last one has stopped, every goroutine started
// since must end within leakWait, else the test fails with their stacks.

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// leakWait bounds the wait for goroutines to end after the last server
// stopped: connections close and clients notice asynchronously.
const leakWait = 10 * time.Second

// leakWatch is shared by the servers live at once; the kit's only
// package-level state.
var leakWatch struct {
	mu       sync.Mutex
	live     int
	baseline map[string]bool // goroutine ids at the first start
}

// goroutineWatch is one server's hold on the leak check.
type goroutineWatch struct{ once sync.Once }

// watchGoroutines counts a server as live, taking the baseline if it is
// the first.
func watchGoroutines() *goroutineWatch {
	leakWatch.mu.Lock()
	defer leakWatch.mu.Unlock()
	if leakWatch.live == 0 {
		leakWatch.baseline = map[string]bool{}
		for id := range goroutineStacks() {
			leakWatch.baseline[id] = true
		}
	}
	leakWatch.live++
	return &goroutineWatch{}
}

// done is called once the server stopped. The last live server waits for
// the goroutines started since the baseline to end.
func (w *goroutineWatch) done(tb testing.TB) {
	w.once.Do(func() {
		leakWatch.mu.Lock()
		leakWatch.live--
		last := leakWatch.live == 0
		baseline := leakWatch.baseline
		leakWatch.mu.Unlock()
		if !last {
			return
		}
		extra := waitForGoroutines(baseline, leakWait)
		if len(extra) > 0 {
			tb.Errorf("%d goroutines still running %v after the server stopped:\n\n%s", len(extra), leakWait, strings.Join(extra, "\n\n"))
		}
	})
}

// waitForGoroutines polls until no goroutine outside baseline (and not a
// process-wide one, see ignoredGoroutine) is left, or d has passed; it
// returns the stacks of those left.
func waitForGoroutines(baseline map[string]bool, d time.Duration) []string {
	deadline := time.Now().Add(d)
	for {
		var extra []string
		for id, stack := range goroutineStacks() {
			if !baseline[id] && !ignoredGoroutine(stack) {
				extra = append(extra, stack)
			}
		}
		if len(extra) == 0 || time.Now().After(deadline) {
			sort.Strings(extra)
			return extra
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, bounded by d
	}
}

// ignoredGoroutine: goroutines that are not the server's and outlive it
// by design: this very check, the testing package's own, and ones a
// library starts once per process.
func ignoredGoroutine(stack string) bool {
	for _, s := range []string{
		"rembuk/server_test.goroutineStacks", // the caller
		"testing.(*T).Run",                   // a subtest still being set up or reported
		"testing.runFuzzing",
		"testing.tRunner.func1", // the test runner waiting for its subtests
		"fasthttp.updateServerDate",
		// fasthttp's idle-worker cleaner looks at its stop flag only
		// every MaxIdleWorkerDuration (10 s, which Fiber does not let us
		// set); it ends on its own.
		"fasthttp.(*workerPool).Start.func2",
		"os/signal.signal_recv",
	} {
		if strings.Contains(stack, s) {
			return true
		}
	}
	return false
}

// goroutineStacks returns every goroutine's stack by its id.
func goroutineStacks() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		var id int
		if _, err := fmt.Sscanf(g, "goroutine %d ", &id); err == nil {
			out[fmt.Sprint(id)] = g
		}
	}
	return out
}
