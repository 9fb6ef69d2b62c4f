package server_test

import (
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkPackLargePhotoSet streams the pack of a session at the photo
// cap (30 photos of 1200×900) to a slow reader and reports the pack's size
// and the server's peak heap above where it started (docs/operations.md
// quotes them):
//
//	go test ./server -run XXX -bench PackLargePhotoSet -benchtime 3x
//
// The minutes embed every photo, so the peak is the minutes' rendering;
// the zip itself is never held.
func BenchmarkPackLargePhotoSet(b *testing.B) {
	ts := startServer(b, "")
	s := ts.create("kosong")
	for i := range 30 {
		uploadPhoto(b, ts, s.ID, s.FacilitatorToken, fmt.Sprint(i+1), testJPEG(b, 1200, 900))
	}
	var total int64
	var grew float64
	b.ResetTimer()
	for range b.N {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		var peak atomic.Uint64
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			var ms runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > peak.Load() {
					peak.Store(ms.HeapAlloc)
				}
			}
		}()
		resp := ts.getPack(s.ID, s.FacilitatorToken, "")
		total = 0
		buf := make([]byte, 32<<10)
		for {
			n, err := resp.Body.Read(buf)
			total += int64(n)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			time.Sleep(time.Millisecond) // a slow reader: the server must wait, not gather
		}
		resp.Body.Close()
		close(stop)
		<-done
		grew = max(grew, float64(int64(peak.Load())-int64(before.HeapAlloc))/1e6)
	}
	if total < 30*100<<10 {
		b.Fatalf("pack of %d bytes is too small for thirty photos", total)
	}
	b.ReportMetric(float64(total)/1e6, "pack-MB")
	b.ReportMetric(grew, "peak-heap-MB")
}
