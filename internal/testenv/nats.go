package testenv

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// NATS is a nats-server process (Debian's /usr/sbin/nats-server) on a free
// 127.0.0.1 port, kept across restarts.
type NATS struct {
	*Process
	Addr string // 127.0.0.1:PORT
	URL  string // nats://127.0.0.1:PORT
}

// StartNATS starts nats-server (LaunchNATS) for a test; the test's
// cleanup kills it. Without nats-server the test skips (fails when
// REMBUK_REQUIRE_TOOLS=1).
func StartNATS(tb testing.TB) *NATS {
	tb.Helper()
	n, err := LaunchNATS(nil)
	if err != nil {
		SkipOrFail(tb, err)
	}
	tb.Cleanup(n.Kill)
	return n
}

// LaunchNATS starts nats-server on a free 127.0.0.1 port and waits until
// it greets a client; the caller stops it (Stop, Kill). Its output is kept
// for Tail and, when tee is not nil, copied there too. The error wraps
// ErrMissing when nats-server is not installed. It needs no test: the
// bench program starts its nats-server with it too.
func LaunchNATS(tee io.Writer) (*NATS, error) {
	bin := findTool("nats-server", "/usr/sbin/nats-server", "/usr/bin/nats-server")
	if bin == "" {
		return nil, fmt.Errorf("nats-server (Debian package nats-server): %w", ErrMissing)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	host, port, _ := net.SplitHostPort(addr)
	n := &NATS{
		Process: &Process{Name: "nats-server", Bin: bin, Args: []string{"-a", host, "-p", port}, StopSignal: syscall.SIGINT, Tee: tee},
		Addr:    addr, URL: "nats://" + addr,
	}
	if err := n.Start(); err != nil {
		return nil, err
	}
	return n, nil
}

// Start runs nats-server again (after Stop or Kill) on the same port and
// waits until it greets a client.
func (n *NATS) Start() error {
	if err := n.start(n.Args); err != nil {
		return err
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if natsGreets(n.Addr) {
			return nil
		}
		select {
		case <-n.Done():
			return fmt.Errorf("nats-server exited: %v; log:\n%s", n.ExitErr(), n.Tail(2000))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			n.Kill()
			return fmt.Errorf("nats-server did not greet within 15 s; log:\n%s", n.Tail(2000))
		}
	}
}

// Restart is Start for a test: failing to start fails it.
func (n *NATS) Restart(tb testing.TB) {
	tb.Helper()
	if err := n.Start(); err != nil {
		tb.Fatal(err)
	}
}

// natsGreets reports whether a NATS server at addr sends its INFO line.
func natsGreets(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "INFO ")
}

// Port is the server's port.
func (n *NATS) Port() int {
	_, p, _ := net.SplitHostPort(n.Addr)
	v, _ := strconv.Atoi(p)
	return v
}
