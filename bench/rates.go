package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The W2 rate curve (issue 12): W2's shape, 50 sessions of 20, at a given
// number of durable edits per second in all (W2 itself is 1,000). Named
// W2@RATE, e.g. -workloads W2@250,W2@3000, or -rate 250,1000,3000 to run
// W2 at each rate.

const w2Prefix = "W2@"

// w2Rate is the workload W2@rate.
func w2Rate(rate int) workload {
	return workload{w2Prefix + strconv.Itoa(rate), func(t *target, o *options) (metrics, error) { return w2At(t, o, rate) }}
}

// w2At is W2 at rate edits/s in all (each of the 1,000 participants sends
// rate/1,000 notes a second).
func w2At(t *target, o *options, rate int) (metrics, error) {
	r, err := newRig(t, 50, 20, 0, false)
	if err != nil {
		return nil, err
	}
	defer r.close()
	measure := o.scaled(12 * time.Second)
	m := r.steady(stepSpec{rate: float64(rate) / 1000, textLen: 60, warmup: 2 * time.Second, measure: measure,
		drain: 5 * time.Second})
	edits := m["sent"] / measure.Seconds()
	m["edits_s"] = edits
	m["cpu_us_edit"] = 1e6 * m["cpu"] / edits
	return m, nil
}

// parseRate returns the rate of a W2@RATE name.
func parseRate(name string) (int, bool) {
	if len(name) <= len(w2Prefix) || !strings.EqualFold(name[:len(w2Prefix)], w2Prefix) {
		return 0, false
	}
	n, err := strconv.Atoi(name[len(w2Prefix):])
	if err != nil || n <= 0 || n > 20_000 { // 20/s per sender is the server's limit
		return 0, false
	}
	return n, true
}

// expandRates replaces W2 in the workload list with W2@RATE for every rate
// of the -rate flag ("" leaves the list as it is).
func expandRates(names []string, rates string) ([]string, error) {
	if strings.TrimSpace(rates) == "" {
		return names, nil
	}
	var at []string
	for _, f := range strings.Split(rates, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 || n > 20_000 {
			return nil, fmt.Errorf("-rate: %q is not a number of edits/s in 1..20000", f)
		}
		at = append(at, w2Prefix+strconv.Itoa(n))
	}
	var out []string
	for _, n := range names {
		if strings.EqualFold(n, "W2") {
			out = append(out, at...)
		} else {
			out = append(out, n)
		}
	}
	return out, nil
}

// printRates prints the curve of the W2@RATE workloads that ran: per rate
// and server, the fan-out p50/p99, the server's CPU and its CPU per edit,
// and Rembuk's ratios to the baseline of the same run.
func printRates(w io.Writer, t table, variants []variant, have map[string]bool) {
	var rates []int
	names := map[int]string{}
	for name := range have {
		if n, ok := parseRate(name); ok {
			rates = append(rates, n)
			names[n] = name
		}
	}
	if len(rates) == 0 {
		return
	}
	if _, ok := names[1000]; !ok && have["W2"] {
		rates, names[1000] = append(rates, 1000), "W2" // W2 is the curve's 1,000
	}
	sort.Ints(rates)
	fmt.Fprintf(w, "\nW2 rate curve (50 sessions × 20; medians; × = ratio to the baseline of the same run):\n\n")
	fmt.Fprintln(w, "| edits/s | server | p50 (ms) | p99 (ms) | p99 × | CPU (cores) | CPU × | CPU µs per edit | reach |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range rates {
		wl := names[n]
		for _, v := range variants {
			p99x, cpux := "", ""
			if v.Kind != "baseline" {
				p99x = fmtNum(t.ratio(wl, v.Name, "p99")) + "×"
				cpux = fmtNum(t.ratio(wl, v.Name, "cpu")) + "×"
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s | %s | %s | %.4f |\n", n, v.Name,
				fmtNum(t.median(wl, v.Name, "p50")), fmtNum(t.median(wl, v.Name, "p99")), p99x,
				fmtNum(t.median(wl, v.Name, "cpu")), cpux, fmtNum(t.median(wl, v.Name, "cpu_us_edit")),
				t.median(wl, v.Name, "reach"))
		}
	}
}

// printTargets12 prints issue 12's W2 targets against this invocation's
// medians: CPU ≤ 1.5× and fan-out p99 ≤ 2× the baseline's with the disk as
// it is, both within 3× with every fsync 2 ms longer, reach 1.0.
func printTargets12(w io.Writer, t table, variants []variant, have map[string]bool) {
	if !have["W2"] {
		return
	}
	fmt.Fprintf(w, "\nIssue 12 targets, W2 (medians; × = median of the per-run ratios to the baseline):\n\n")
	fmt.Fprintln(w, "| target | server | baseline | rembuk | × | met |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---|")
	for _, v := range variants {
		if v.Kind == "baseline" {
			continue
		}
		limCPU, limP99 := 1.5, 2.0
		if v.FsyncUS > 0 {
			limCPU, limP99 = 3, 3
		}
		for _, c := range []struct {
			key, label string
			lim        float64
		}{{"cpu", "server CPU (cores)", limCPU}, {"p99", "fan-out p99 (ms)", limP99}} {
			x := t.ratio("W2", v.Name, c.key)
			fmt.Fprintf(w, "| %s ≤ %s× | %s | %s | %s | %s× |%s |\n", c.label, fmtNum(c.lim), v.Name,
				fmtNum(t.median("W2", "baseline", c.key)), fmtNum(t.median("W2", v.Name, c.key)), fmtNum(x), mark(x <= c.lim))
		}
		reach := t.median("W2", v.Name, "reach")
		fmt.Fprintf(w, "| reach = 1.0 | %s | | %.4f | |%s |\n", v.Name, reach, mark(reach >= 1-1e-9))
	}
}
