package testenv

import (
	"path/filepath"
	"testing"
	"time"
)

func startTestNode(t *testing.T) *Node {
	return StartNode(t, NodeConfig{Args: []string{"-db", filepath.Join(t.TempDir(), "r.db")}})
}

// A node answers on its address, stops answering while paused and again
// after SIGCONT, comes back on the same address after kill -9, and exits
// 0 on SIGTERM.
func TestNodeLifecycle(t *testing.T) {
	n := startTestNode(t)
	if !n.Healthy() {
		t.Fatalf("not healthy after start; log:\n%s", n.Logs())
	}
	if err := n.Pause(); err != nil {
		t.Fatal(err)
	}
	if n.Healthy() {
		t.Fatal("a paused node answered /healthz")
	}
	n.Resume()
	if !n.Healthy() {
		t.Fatal("not healthy after SIGCONT")
	}
	n.Kill()
	if n.Running() || n.Healthy() {
		t.Fatal("still there after kill -9")
	}
	url := n.URL
	n.Restart(t)
	if n.URL != url || !n.Healthy() {
		t.Fatalf("restarted at %s (was %s), healthy %v", n.URL, url, n.Healthy())
	}
	if took, err := n.Stop(5 * time.Second); err != nil {
		t.Fatalf("SIGTERM: %v after %v; log:\n%s", err, took, n.Tail(2000))
	}
	if HasFlag(t, "no-such-flag") || !HasFlag(t, "db") {
		t.Fatal("HasFlag does not read `rembuk -h`")
	}
}

// A node that cannot start (a folder where its database file should be)
// fails Start with its log.
func TestNodeStartFailureHasLog(t *testing.T) {
	n := NewNode(t, NodeConfig{Args: []string{"-db", t.TempDir()}, Ready: 10 * time.Second})
	err := n.Start()
	if err == nil {
		t.Fatal("a node on a folder as its database started")
	}
	if len(n.Logs()) == 0 {
		t.Fatalf("no log in %v", err)
	}
}

// nats-server comes back on the same port after kill -9.
func TestNATSRestart(t *testing.T) {
	n := StartNATS(t)
	port := n.Port()
	n.Kill()
	n.Restart(t)
	if n.Port() != port {
		t.Fatalf("port %d, was %d", n.Port(), port)
	}
	if took, err := n.Stop(5 * time.Second); err != nil {
		t.Fatalf("stop: %v after %v", err, took)
	}
}

// HAProxy sends requests to a healthy node, and to the other one once the
// first is killed (the health check takes it out).
func TestHAProxyRoutesAroundADeadNode(t *testing.T) {
	a, b := startTestNode(t), startTestNode(t)
	h := StartHAProxy(t, a.Addr, b.Addr)
	a.Kill()
	deadline := time.Now().Add(10 * time.Second)
	ok := 0
	for ok < 5 {
		if time.Now().After(deadline) {
			t.Fatalf("HAProxy kept failing with one node dead; log:\n%s", h.Tail(2000))
		}
		if Get(h.URL+"/healthz") == 200 {
			ok++
		} else {
			ok = 0
		}
		time.Sleep(20 * time.Millisecond)
	}
}
