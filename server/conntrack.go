package server

import (
	"net"
	"sync"
	"sync/atomic"
)

// connTracker is the server's listener. It remembers every connection it
// accepted until it is closed, so Shutdown can close what fasthttp would
// wait for: a connection that never sent a byte (a browser's preconnect,
// an HTTP client's spare) counts as idle there only after 5 s, and one
// stuck in the middle of a request waits for the 30 s read timeout.
type connTracker struct {
	net.Listener
	mu     sync.Mutex
	conns  map[*trackedConn]struct{}
	closed bool
}

func newConnTracker(ln net.Listener) *connTracker {
	return &connTracker{Listener: ln, conns: map[*trackedConn]struct{}{}}
}

// Accept implements net.Listener.
func (l *connTracker) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	return tc, nil
}

// Close stops accepting; closing again is not an error (Shutdown closes
// the listener before Fiber does).
func (l *connTracker) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	return l.Listener.Close()
}

// closeConns closes the open connections, or only those that never sent
// a byte, and returns how many.
func (l *connTracker) closeConns(silentOnly bool) int {
	l.mu.Lock()
	var conns []*trackedConn
	for c := range l.conns {
		if !silentOnly || !c.used.Load() {
			conns = append(conns, c)
		}
	}
	l.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	return len(conns)
}

type trackedConn struct {
	net.Conn
	l    *connTracker
	used atomic.Bool // a byte was read: a request may be in flight
	once sync.Once
}

// Read implements net.Conn.
func (c *trackedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 && !c.used.Load() {
		c.used.Store(true)
	}
	return n, err
}

// Close implements net.Conn.
func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
