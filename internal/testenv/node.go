package testenv

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// NodeConfig is how to run one rembuk node.
type NodeConfig struct {
	Name string    // for messages; default "rembuk"
	Addr string    // 127.0.0.1:PORT; default a free port, kept across restarts
	Args []string  // flags after -addr, e.g. -db PATH
	Env  []string  // e.g. LD_PRELOAD=…
	Tee  io.Writer // also copy its logs here (e2e: os.Stderr)
	// Ready is how long to wait for /healthz to answer 200 (default 30 s).
	Ready time.Duration
}

// Node is the rembuk binary running as one server on 127.0.0.1. It keeps
// its address across restarts, so clients and a load balancer find it
// again.
type Node struct {
	*Process
	Addr  string // 127.0.0.1:PORT
	URL   string // http://127.0.0.1:PORT
	ready time.Duration
}

// NewNode prepares a node without starting it; the test's cleanup kills
// it.
func NewNode(tb testing.TB, cfg NodeConfig) *Node {
	tb.Helper()
	if cfg.Name == "" {
		cfg.Name = "rembuk"
	}
	if cfg.Addr == "" {
		cfg.Addr = FreeAddr(tb)
	}
	if cfg.Ready == 0 {
		cfg.Ready = 30 * time.Second
	}
	n := &Node{
		Process: &Process{Name: cfg.Name, Bin: Binary(tb), Args: cfg.Args, Env: cfg.Env, Tee: cfg.Tee},
		Addr:    cfg.Addr, URL: "http://" + cfg.Addr, ready: cfg.Ready,
	}
	tb.Cleanup(n.Kill)
	return n
}

// StartNode starts a node and waits until /healthz answers 200; a node
// that does not come up fails the test with its log.
func StartNode(tb testing.TB, cfg NodeConfig) *Node {
	tb.Helper()
	n := NewNode(tb, cfg)
	if err := n.Start(); err != nil {
		tb.Fatal(err)
	}
	return n
}

// Start runs the binary with -addr Addr and the node's Args and waits
// until /healthz answers 200. The error holds the end of its log.
func (n *Node) Start() error {
	if err := n.start(append([]string{"-addr", n.Addr}, n.Args...)); err != nil {
		return err
	}
	if err := waitHTTP(n.Process, n.URL+"/healthz", n.ready); err != nil {
		n.Kill()
		return fmt.Errorf("%s: %v; log:\n%s", n.Name, err, n.Tail(4000))
	}
	return nil
}

// Restart starts the node again after it was stopped or killed.
func (n *Node) Restart(tb testing.TB) {
	tb.Helper()
	if err := n.Start(); err != nil {
		tb.Fatal(err)
	}
}

// Healthy asks /healthz once.
func (n *Node) Healthy() bool { return healthy(n.URL + "/healthz") }

func healthy(url string) bool { return Get(url) == 200 }

// waitHTTP polls url until it answers 200, the process ends, or limit.
func waitHTTP(p *Process, url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		if healthy(url) {
			return nil
		}
		select {
		case <-p.Done():
			return fmt.Errorf("exited before %s answered: %v", url, p.ExitErr())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer 200 within %v", url, limit)
		}
	}
}

// Usage is what `rembuk -h` prints: a test asks it whether the binary
// has a flag yet.
func Usage(tb testing.TB) string {
	tb.Helper()
	p := &Process{Name: "rembuk -h", Bin: Binary(tb)}
	if err := p.start([]string{"-h"}); err != nil {
		tb.Fatal(err)
	}
	<-p.Done()
	return p.Logs()
}

// HasFlag reports whether `rembuk -h` lists -name.
func HasFlag(tb testing.TB, name string) bool {
	tb.Helper()
	u := Usage(tb)
	return strings.Contains(u, "  -"+name+" ") || strings.Contains(u, "  -"+name+"\n")
}

// Get sends a GET and returns the status code (0 when no answer came).
func Get(url string) int {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
