package testenv

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// Missing skips the test because something it needs is not here, or fails
// it when RequireTools.
func Missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if Required() {
		tb.Fatal(msg + " (REMBUK_REQUIRE_TOOLS=1)")
	}
	tb.Skip(msg + "; set REMBUK_REQUIRE_TOOLS=1 to make this a failure")
}

// Tool finds an executable by name on PATH or at one of the given paths,
// or calls Missing.
func Tool(tb testing.TB, name string, paths ...string) string {
	tb.Helper()
	p := findTool(name, paths...)
	if p == "" {
		Missing(tb, "%s not found (Debian package: see .ci/run)", name)
	}
	return p
}

// findTool is Tool's search: name on PATH, else the first of paths that
// is an executable file, else "".
func findTool(name string, paths ...string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// FreeAddr returns a 127.0.0.1:PORT that nothing listens on right now.
// The port is free only until someone else takes it; the processes here
// bind it within milliseconds.
func FreeAddr(tb testing.TB) string {
	tb.Helper()
	addr, err := freeAddr()
	if err != nil {
		tb.Fatal(err)
	}
	return addr
}

// freeAddr is FreeAddr without a test.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// FreePort is FreeAddr's port.
func FreePort(tb testing.TB) int {
	tb.Helper()
	port, err := freePort()
	if err != nil {
		tb.Fatal(err)
	}
	return port
}

// freePort is FreePort without a test.
func freePort() (int, error) {
	addr, err := freeAddr()
	if err != nil {
		return 0, err
	}
	_, port, _ := net.SplitHostPort(addr)
	return strconv.Atoi(port)
}
