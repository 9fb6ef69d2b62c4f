package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// MarshalJSON writes missing figures (NaN) as null.
func (m metrics) MarshalJSON() ([]byte, error) {
	out := make(map[string]*float64, len(m))
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[k] = &v
		} else {
			out[k] = nil
		}
	}
	return json.Marshal(out)
}

// row is one headline figure of the table and its target.
type row struct {
	workload, key, label string
	target               float64 // ratio to the baseline; 0: none
	higher               bool    // higher is better (the knee)
	absolute             bool    // target is the value itself (reach)
}

var rows = []row{
	{"W1", "p99", "W1 1×200, 1 note/s each: fan-out p99 (ms)", 1.3, false, false},
	{"W1", "reach", "W1 reach", 1, true, true},
	{"W1", "ack_p99", "W1 ack p99 (ms)", 0, false, false},
	{"W1", "cpu_us_deliv", "W1 server CPU per delivery (µs)", 0, false, false},
	{"W2", "p99", "W2 50×20, 1 note/s each: fan-out p99 (ms)", 2, false, false},
	{"W2", "cpu", "W2 server CPU (cores)", 1.5, false, false},
	{"W2", "reach", "W2 reach", 1, true, true},
	{"W2", "cpu_us_deliv", "W2 server CPU per delivery (µs)", 0, false, false},
	{"W2", "ack_p99", "W2 ack p99 (ms)", 0, false, false},
	{"W3", "all_ms", "W3 paste 1,000 notes into 50: all delivered (ms)", 1.3, false, false},
	{"W3", "disconnects", "W3 disconnected", 0, false, false},
	{"W3", "cpu_ms", "W3 server CPU for the paste (ms)", 0, false, false},
	{"W4", "p99", "W4 100 in a room, 10 never read: readers' p99 (ms)", 1.3, false, false},
	{"W4", "reach", "W4 readers' reach", 1, true, true},
	{"W4", "stalled_cut", "W4 stalled connections cut off (of 10)", 0, false, false},
	{"W4", "peak_rss_mb", "W4 server peak RSS (MB)", 0, false, false},
	{"knee", "knee", "knee: deliveries/s at p99 ≤ 50 ms", 0.8, true, false},
	{"W5", "kb_per_conn", "W5 2,000 idle connections: KB each", 1.2, false, false},
	{"mixed", "add_p99", "mixed 200+1: note.add (private) p99 (ms)", 0, false, false},
	{"mixed", "reveal_ms", "mixed: notes.reveal of 400 notes, all 201 have it (ms)", 0, false, false},
	{"mixed", "move_p99", "mixed: note.move p99 (ms)", 0, false, false},
	{"mixed", "vote_p99", "mixed: vote.cast p99 (ms)", 0, false, false},
	{"mixed", "usg_p99", "mixed: usg.score p99 (ms)", 0, false, false},
	{"mixed", "reach", "mixed reach", 1, true, true},
}

// table gathers one figure across runs.
type table struct {
	res []result
}

func (t table) values(w, v, key string) []float64 {
	var out []float64
	for _, r := range t.res {
		if r.Workload == w && r.Variant == v && r.Metrics != nil {
			if x, ok := r.Metrics[key]; ok {
				out = append(out, x)
			}
		}
	}
	return out
}

func (t table) median(w, v, key string) float64 { return median(t.values(w, v, key)) }

// ratio is the median over runs of (variant / baseline) within each run.
func (t table) ratio(w, v, key string) float64 { return t.ratioTo(w, v, "baseline", key) }

// ratioTo is the median over runs of (variant / ref) within each run.
func (t table) ratioTo(w, v, ref, key string) float64 {
	var rs []float64
	for _, r := range t.res {
		if r.Workload != w || r.Variant != v || r.Metrics == nil {
			continue
		}
		for _, b := range t.res {
			if b.Workload == w && b.Variant == ref && b.Run == r.Run && b.Metrics != nil {
				rs = append(rs, ratio(r.Metrics[key], b.Metrics[key]))
			}
		}
	}
	return median(rs)
}

func fmtNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case math.Abs(v) >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func met(r row, value, rat float64) string {
	switch {
	case r.target == 0:
		return ""
	case r.absolute:
		return mark(value >= r.target-1e-9)
	case math.IsNaN(rat):
		return " ?"
	case r.higher:
		return mark(rat >= r.target)
	default:
		return mark(rat <= r.target)
	}
}

func mark(ok bool) string {
	if ok {
		return " ✓"
	}
	return " ✗"
}

func printReport(w io.Writer, o *options, variants []variant, res []result) {
	t := table{res}
	have := map[string]bool{}
	for _, r := range res {
		have[r.Workload] = true
	}
	fmt.Fprintf(w, "\nMedians of %d run(s); × is the median over runs of the ratio to the baseline measured in the same run.\n", o.runs)
	var idle []float64
	for _, r := range res {
		if v, ok := r.Metrics["idle_before"]; ok {
			idle = append(idle, v)
		}
	}
	if len(idle) > 0 {
		sort.Float64s(idle)
		fmt.Fprintf(w, "Machine idle in the second before each run: min %.0f%%, median %.0f%% (other work on the machine skews figures).\n",
			100*idle[0], 100*median(idle))
	}
	fmt.Fprintln(w)
	head := "| figure | target | " + variants[0].Name
	sep := "| --- | --- | ---:"
	for _, v := range variants[1:] {
		head += " | " + v.Name + " | ×"
		sep += " | ---: | ---:"
	}
	fmt.Fprintln(w, head+" |")
	fmt.Fprintln(w, sep+" |")
	for _, r := range rows {
		if !have[r.workload] {
			continue
		}
		target := ""
		switch {
		case r.absolute:
			target = "= " + fmtNum(r.target)
		case r.target != 0 && r.higher:
			target = "≥ " + fmtNum(r.target) + "×"
		case r.target != 0:
			target = "≤ " + fmtNum(r.target) + "×"
		}
		line := fmt.Sprintf("| %s | %s | %s", r.label, target, fmtNum(t.median(r.workload, "baseline", r.key)))
		for _, v := range variants[1:] {
			val, rat := t.median(r.workload, v.Name, r.key), t.ratio(r.workload, v.Name, r.key)
			if r.key == "reach" {
				line += fmt.Sprintf(" | %.4f%s | ", val, met(r, val, rat))
			} else {
				line += fmt.Sprintf(" | %s | %s×%s", fmtNum(val), fmtNum(rat), met(r, val, rat))
			}
		}
		fmt.Fprintln(w, line+" |")
	}
	printDetails(w, t, variants, have)
	printRates(w, t, variants, have)
	printTargets12(w, t, variants, have)
	printTwoNodes(w, t, variants, have)
	printSplit(w, t, variants, have)
}

// printDetails lists the secondary figures of the steady workloads and the
// knee's steps.
func printDetails(w io.Writer, t table, variants []variant, have map[string]bool) {
	keys := []string{"p50", "p99", "max", "ack_p99", "deliv_s", "cpu", "cpu_us_deliv", "gen_cpu", "peak_rss_mb", "errors", "disconnects"}
	fmt.Fprintf(w, "\n| workload | server | %s |\n|---|---|%s\n", strings.Join(keys, " | "), strings.Repeat("---:|", len(keys)))
	wls := []string{"W1", "W2", "W3", "W4"}
	for name := range have {
		if _, ok := parseRate(name); ok {
			wls = append(wls, name)
		}
	}
	sort.Strings(wls[4:])
	for _, wl := range wls {
		if !have[wl] {
			continue
		}
		for _, v := range variants {
			line := "| " + wl + " | " + v.Name + " |"
			for _, k := range keys {
				line += " " + fmtNum(t.median(wl, v.Name, k)) + " |"
			}
			fmt.Fprintln(w, line)
		}
	}
	if !have["knee"] {
		return
	}
	steps := map[string]bool{}
	for _, r := range t.res {
		for k := range r.Metrics {
			if strings.HasPrefix(k, "step") && strings.HasSuffix(k, "_deliv") {
				steps[strings.TrimSuffix(k, "_deliv")] = true
			}
		}
	}
	var names []string
	for s := range steps {
		names = append(names, s)
	}
	sort.Slice(names, func(i, j int) bool {
		a, _ := strconv.ParseFloat(strings.TrimPrefix(names[i], "step"), 64)
		b, _ := strconv.ParseFloat(strings.TrimPrefix(names[j], "step"), 64)
		return a < b
	})
	fmt.Fprintf(w, "\nKnee steps (300 senders in one room; deliveries/s, p99 ms; medians of the runs that reached the step):\n\n| rate per sender |")
	for _, v := range variants {
		fmt.Fprintf(w, " %s |", v.Name)
	}
	fmt.Fprintf(w, "\n|---:|%s\n", strings.Repeat("---:|", len(variants)))
	for _, s := range names {
		line := "| " + strings.TrimPrefix(s, "step") + "/s |"
		for _, v := range variants {
			d, p := t.median("knee", v.Name, s+"_deliv"), t.median("knee", v.Name, s+"_p99")
			line += fmt.Sprintf(" %s / %s |", fmtNum(d), fmtNum(p))
		}
		fmt.Fprintln(w, line)
	}
}

// brief is the progress line of one run.
func brief(w string, m metrics) string {
	if m == nil {
		return "failed"
	}
	var keys []string
	switch w {
	case "W3":
		keys = []string{"all_ms", "p99", "reach", "disconnects", "cpu_ms"}
	case "W4":
		keys = []string{"p99", "reach", "stalled_cut", "peak_rss_mb", "cpu"}
	case "knee":
		keys = []string{"knee", "knee_cpu"}
	case "W5":
		keys = []string{"kb_per_conn", "rss_before", "rss_after"}
	case "mixed":
		keys = []string{"add_p99", "reveal_ms", "move_p99", "vote_p99", "usg_p99", "reach", "errors"}
	default:
		keys = []string{"p50", "p99", "ack_p99", "reach", "deliv_s", "cpu", "gen_cpu", "errors"}
	}
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+fmtNum(m[k]))
	}
	return strings.Join(parts, " ")
}

// printTwoNodes compares the two-node variant (clients on the non-owner)
// with one node on PostgreSQL and on SQLite, run by run, and shows each
// node's CPU.
func printTwoNodes(w io.Writer, t table, variants []variant, have map[string]bool) {
	two := ""
	for _, v := range variants {
		if v.Nodes == 2 && !v.Split {
			two = v.Name
		}
	}
	if two == "" {
		return
	}
	figs := []struct{ wl, key, label string }{
		{"W1", "p50", "W1 fan-out p50 (ms)"}, {"W1", "p99", "W1 fan-out p99 (ms)"}, {"W1", "ack_p50", "W1 ack p50 (ms)"}, {"W1", "ack_p99", "W1 ack p99 (ms)"},
		{"W2", "p50", "W2 fan-out p50 (ms)"}, {"W2", "p99", "W2 fan-out p99 (ms)"}, {"W2", "ack_p50", "W2 ack p50 (ms)"}, {"W2", "ack_p99", "W2 ack p99 (ms)"},
		{"W3", "all_ms", "W3 paste, all delivered (ms)"},
	}
	fmt.Fprintf(w, "\nTwo nodes (%s: clients on node B, sessions owned by node A), against one node; ÷ is the median over runs of the ratio within each run:\n\n", two)
	fmt.Fprintln(w, "| figure | baseline | rembuk | rembuk pg | 2 nodes | ÷ pg | ÷ SQLite | ÷ baseline | 2 nodes − pg |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, f := range figs {
		if !have[f.wl] {
			continue
		}
		v2, pg := t.median(f.wl, two, f.key), t.median(f.wl, "rembuk pg", f.key)
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s× | %s× | %s× | %s |\n", f.label,
			fmtNum(t.median(f.wl, "baseline", f.key)), fmtNum(t.median(f.wl, "rembuk", f.key)), fmtNum(pg), fmtNum(v2),
			fmtNum(t.ratioTo(f.wl, two, "rembuk pg", f.key)), fmtNum(t.ratioTo(f.wl, two, "rembuk", f.key)),
			fmtNum(t.ratio(f.wl, two, f.key)), fmtNum(v2-pg))
	}
	fmt.Fprintf(w, "\n| workload | CPU node A (owner) | CPU node B (clients) | both | rembuk pg |\n| --- | ---: | ---: | ---: | ---: |\n")
	for _, wl := range []string{"W1", "W2"} {
		if have[wl] {
			fmt.Fprintf(w, "| %s (cores) | %s | %s | %s | %s |\n", wl, fmtNum(t.median(wl, two, "cpu_a")), fmtNum(t.median(wl, two, "cpu_b")),
				fmtNum(t.median(wl, two, "cpu")), fmtNum(t.median(wl, "rembuk pg", "cpu")))
		}
	}
	if have["W3"] {
		fmt.Fprintf(w, "| W3 (ms of CPU for the paste) | %s | %s | %s | %s |\n", fmtNum(t.median("W3", two, "cpu_ms_a")), fmtNum(t.median("W3", two, "cpu_ms_b")),
			fmtNum(t.median("W3", two, "cpu_ms")), fmtNum(t.median("W3", "rembuk pg", "cpu_ms")))
	}
}

// printSplit shows a split two-node run's groups side by side: the
// clients on the owner (local) and those on the other node (forwarded),
// in the same run, and the difference (median over runs of forwarded −
// local within each run).
func printSplit(w io.Writer, t table, variants []variant, have map[string]bool) {
	split := ""
	for _, v := range variants {
		if v.Split {
			split = v.Name
		}
	}
	if split == "" {
		return
	}
	fmt.Fprintf(w, "\nLocal and forwarded in one run (%s: half of each session's clients on node A, the owner, half on node B):\n\n", split)
	fmt.Fprintln(w, "| figure | local (on A) | forwarded (on B) | forwarded − local | all |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: |")
	for _, wl := range []string{"W1", "W2"} {
		if !have[wl] {
			continue
		}
		for _, f := range []struct{ key, label string }{
			{"p50", "fan-out p50"}, {"p99", "fan-out p99"}, {"ack_p50", "ack p50"}, {"ack_p99", "ack p99"},
		} {
			var diffs []float64
			for _, r := range t.res {
				if r.Workload == wl && r.Variant == split && r.Metrics != nil {
					diffs = append(diffs, r.Metrics[f.key+"_fwd"]-r.Metrics[f.key+"_local"])
				}
			}
			fmt.Fprintf(w, "| %s %s (ms) | %s | %s | %s | %s |\n", wl, f.label, fmtNum(t.median(wl, split, f.key+"_local")),
				fmtNum(t.median(wl, split, f.key+"_fwd")), fmtNum(median(diffs)), fmtNum(t.median(wl, split, f.key)))
		}
		fmt.Fprintf(w, "| %s CPU node A / node B (cores) | %s | %s | | %s |\n", wl, fmtNum(t.median(wl, split, "cpu_a")),
			fmtNum(t.median(wl, split, "cpu_b")), fmtNum(t.median(wl, split, "cpu")))
	}
}
