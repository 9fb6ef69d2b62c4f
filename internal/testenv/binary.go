package testenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The binary is built once per test process, whichever test asks first.
var build struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// ModuleRoot is the folder holding go.mod, found upwards from the working
// directory (a package's folder while `go test` runs).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		// Rembuk's own go.mod: a tool run from a module nested in it (or a
		// checkout inside another module) still finds the right root.
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module rembuk\n") {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("cannot find rembuk's go.mod above the working directory")
		}
		dir = up
	}
}

// BuildBinary builds the rembuk binary (CGO_ENABLED=1, as shipped) into a
// temporary folder once per test process and returns its path. TestMain
// should call RemoveBinary after m.Run.
func BuildBinary() (string, error) {
	build.once.Do(func() {
		root, err := ModuleRoot()
		if err != nil {
			build.err = err
			return
		}
		build.dir, err = os.MkdirTemp("", "rembuk-testenv-")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(build.dir, "rembuk")
		cmd := exec.Command("go", "build", "-o", build.path, ".")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	return build.path, build.err
}

// Binary is BuildBinary for a test: a failed build fails it.
func Binary(tb testing.TB) string {
	tb.Helper()
	p, err := BuildBinary()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// RemoveBinary deletes the built binary (call it from TestMain after m.Run).
func RemoveBinary() {
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
}
