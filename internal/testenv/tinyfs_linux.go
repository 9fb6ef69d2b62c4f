package testenv

import (
	"fmt"
	"syscall"
	"testing"
)

// MountTinyFS mounts a tmpfs of size bytes on a new temporary folder and
// unmounts it when the test ends (call it before opening anything on it,
// so its cleanup runs last). Mounting needs root or CAP_SYS_ADMIN;
// without it the test skips (fails when REMBUK_REQUIRE_TOOLS=1).
func MountTinyFS(tb testing.TB, size int) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		Missing(tb, "cannot mount a tmpfs (needs root or CAP_SYS_ADMIN): %v", err)
	}
	tb.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			tb.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}
