package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// HAProxy is Debian's haproxy in front of some nodes: round robin,
// health check GET /healthz every 500 ms, WebSockets kept open by
// `timeout tunnel`.
type HAProxy struct {
	*Process
	Addr   string // 127.0.0.1:PORT the clients use
	URL    string // http://127.0.0.1:PORT
	Config string // the generated configuration, for a failure message
}

// HAProxyConfig is the configuration HAProxy runs with: listen on addr,
// balance over backends (host:port each). docs/cluster.md shows the same
// for an operator.
func HAProxyConfig(addr string, backends []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `global
    maxconn 4000

defaults
    mode http
    option http-server-close
    # The nodes take the client's address from the last X-Forwarded-For
    # entry when started with -trusted-proxies (the balancer's address).
    option forwardfor
    timeout connect 2s
    # The event stream of the HTTP fallback pings every 25 s.
    timeout client 60s
    timeout server 60s
    # WebSockets: once upgraded, a connection idles up to an hour (the
    # server pings every 25 s).
    timeout tunnel 1h
    retries 2
    option redispatch

frontend rembuk
    bind %s
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 1
    # Which node answered (tests check that round robin spread them).
    http-response set-header X-Rembuk-Node %%s
`, addr)
	for i, be := range backends {
		fmt.Fprintf(&b, "    server n%d %s check\n", i+1, be)
	}
	return b.String()
}

// StartHAProxy starts haproxy in front of backends and waits until a
// request through it reaches a healthy node; the test's cleanup kills it.
// Without haproxy the test skips (fails when REMBUK_REQUIRE_TOOLS=1).
func StartHAProxy(tb testing.TB, backends ...string) *HAProxy {
	tb.Helper()
	bin := Tool(tb, "haproxy", "/usr/sbin/haproxy")
	addr := FreeAddr(tb)
	cfg := HAProxyConfig(addr, backends)
	path := filepath.Join(tb.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		tb.Fatal(err)
	}
	h := &HAProxy{
		// -db: stay in the foreground, log to stderr.
		Process: &Process{Name: "haproxy", Bin: bin, Args: []string{"-db", "-f", path}},
		Addr:    addr, URL: "http://" + addr, Config: cfg,
	}
	tb.Cleanup(h.Kill)
	if err := h.start(h.Args); err != nil {
		tb.Fatal(err)
	}
	if err := waitHTTP(h.Process, h.URL+"/healthz", 15*time.Second); err != nil {
		h.Kill()
		tb.Fatalf("haproxy: %v; config:\n%s\nlog:\n%s", err, cfg, h.Tail(2000))
	}
	return h
}
