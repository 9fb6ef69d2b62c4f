package testenv

import (
	"bufio"
	"fmt"
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

// StartNATS starts nats-server and waits until it greets a client; the
// test's cleanup kills it. Without nats-server the test skips (fails when
// REMBUK_REQUIRE_TOOLS=1).
func StartNATS(tb testing.TB) *NATS {
	tb.Helper()
	bin := Tool(tb, "nats-server", "/usr/sbin/nats-server", "/usr/bin/nats-server")
	addr := FreeAddr(tb)
	host, port, _ := net.SplitHostPort(addr)
	n := &NATS{
		Process: &Process{Name: "nats-server", Bin: bin, Args: []string{"-a", host, "-p", port}, StopSignal: syscall.SIGINT},
		Addr:    addr, URL: "nats://" + addr,
	}
	tb.Cleanup(n.Kill)
	n.Restart(tb)
	return n
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
