package server_test

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rembuk/server"
	"rembuk/store"
)

// Shutdown before Serve got going (a signal during start-up, a test that
// stops at once) still ends Serve: nothing else would close its listener.
func TestShutdownBeforeServe(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "rembuk.db"), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := server.New(server.Config{Store: db, Logger: testLogger(t)})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after Shutdown: %v", err)
		}
	case <-time.After(5 * time.Second):
		ln.Close()
		t.Fatalf("Serve after Shutdown still serving after 5 s")
	}
}

// The kit's leak check sees a goroutine started after its baseline until
// it ends.
func TestKitSeesLeakedGoroutines(t *testing.T) {
	baseline := map[string]bool{}
	for id := range goroutineStacks() {
		baseline[id] = true
	}
	release := make(chan struct{})
	go func() { <-release }()
	extra := waitForGoroutines(baseline, 50*time.Millisecond)
	if len(extra) != 1 || !strings.Contains(extra[0], "TestKitSeesLeakedGoroutines") {
		t.Fatalf("extra goroutines: %q, want the one this test started", extra)
	}
	close(release)
	if extra := waitForGoroutines(baseline, leakWait); len(extra) != 0 {
		t.Fatalf("after it ended: %q", extra)
	}
}
