package testenv

import (
	"fmt"
	"net"
	"os"
	"os/exec"
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
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	Missing(tb, "%s not found (Debian package: see .ci/run)", name)
	return ""
}

// FreeAddr returns a 127.0.0.1:PORT that nothing listens on right now.
// The port is free only until someone else takes it; the processes here
// bind it within milliseconds.
func FreeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// FreePort is FreeAddr's port.
func FreePort(tb testing.TB) int {
	tb.Helper()
	_, port, _ := net.SplitHostPort(FreeAddr(tb))
	var n int
	fmt.Sscan(port, &n)
	return n
}
