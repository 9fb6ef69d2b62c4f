package server

import (
	"runtime/debug"
	"sync"
	"time"
)

// releaseAfter is how long after a connection that held a big frame ends
// the server hands freed memory back to the OS.
const releaseAfter = 5 * time.Second

// memReleaser returns memory to the OS after a burst of big frames. Go's
// background scavenger gives back freed heap only slowly: after 150
// sockets took a 5.7 MiB board each, the process stayed at 1.9 GB for
// minutes (issue 9). debug.FreeOSMemory forces a collection, so it runs at
// most once per releaseAfter, and only when connections that held bulk
// frames (bulkFrameBytes) ended.
type memReleaser struct {
	mu    sync.Mutex
	timer *time.Timer
}

// kick schedules a release unless one is scheduled already.
func (m *memReleaser) kick() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.timer == nil {
		m.timer = time.AfterFunc(releaseAfter, m.release)
	}
}

func (m *memReleaser) release() {
	m.mu.Lock()
	m.timer = nil
	m.mu.Unlock()
	debug.FreeOSMemory()
}

// stop cancels a scheduled release (Shutdown).
func (m *memReleaser) stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.timer != nil {
		m.timer.Stop()
		m.timer = nil
	}
}
