package main

import (
	"math"
	"slices"
	"sort"
)

// samples is a set of latencies in microseconds. Readers append to their
// own samples; merge gathers them after the workload stopped.
type samples []uint32

func us(ns int64) uint32 {
	if ns < 0 {
		return 0
	}
	if v := ns / 1000; v < math.MaxUint32 {
		return uint32(v)
	}
	return math.MaxUint32
}

// merge concatenates and sorts.
func merge(parts ...samples) samples {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make(samples, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	slices.Sort(out)
	return out
}

// pct returns the q-quantile (0..1) of sorted samples, in milliseconds
// (NaN when empty).
func (s samples) pct(q float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(q*float64(len(s)))) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(s) {
		i = len(s) - 1
	}
	return float64(s[i]) / 1000
}

// max returns the largest sample in milliseconds.
func (s samples) max() float64 { return s.pct(1) }

// metrics is one measurement of one workload against one target.
type metrics map[string]float64

// median returns the median of the finite values (NaN when none).
func median(vs []float64) float64 {
	var ok []float64
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			ok = append(ok, v)
		}
	}
	if len(ok) == 0 {
		return math.NaN()
	}
	sort.Float64s(ok)
	n := len(ok)
	if n%2 == 1 {
		return ok[n/2]
	}
	return (ok[n/2-1] + ok[n/2]) / 2
}

// ratio is a/b, NaN when b is zero or either is missing.
func ratio(a, b float64) float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return a / b
}
