// Package e2e drives the real server binary with headless Chromium: each
// test starts its own server on a random port and one browser process per
// participant (a fresh profile each), and saves screenshots of what a
// person would see.
package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rembuk/internal/testenv"
)

// shotsDir is where screenshots are copied so a person can look at them.
const shotsDir = "/tmp/rembuk-shots"

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	defer testenv.RemoveBinary()
	if _, err := testenv.BuildBinary(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building the server:", err)
		return 1
	}
	return m.Run()
}

// chromiumPath finds the browser, or skips (fails when REMBUK_REQUIRE_BROWSER=1).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("REMBUK_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("REMBUK_REQUIRE_BROWSER") == "1" {
		t.Fatal("chromium not found and REMBUK_REQUIRE_BROWSER=1")
	}
	t.Skip("chromium not found; set REMBUK_REQUIRE_BROWSER=1 to make this a failure")
	return ""
}

// server is one running server process with its own database
// (internal/testenv runs it; its logs go to the test's stderr).
type server struct {
	t    *testing.T
	db   string
	addr string // host:port, fixed after the first start
	url  string
	node *testenv.Node
	args []string // extra flags, e.g. -refuse-websockets; a restart may change them
}

// startServer runs the binary on a free 127.0.0.1 port with a fresh
// database and returns its base URL.
func startServer(t *testing.T) string {
	t.Helper()
	return newServer(t).url
}

// newServer starts a server that a test can stop and start again; args
// are extra flags.
func newServer(t *testing.T, args ...string) *server {
	t.Helper()
	s := &server{t: t, db: filepath.Join(t.TempDir(), "r.db"), args: args}
	s.node = testenv.NewNode(t, testenv.NodeConfig{Name: "rembuk", Tee: os.Stderr})
	s.addr, s.url = s.node.Addr, s.node.URL
	s.start()
	return s
}

// start runs the server (again) on its address with the current args.
func (s *server) start() {
	s.t.Helper()
	s.node.Args = append([]string{"-db", s.db}, s.args...)
	if err := s.node.Start(); err != nil {
		s.t.Fatal(err)
	}
}

// stop ends the server the way an operator does (SIGTERM) and waits.
func (s *server) stop() { s.node.Stop(10 * time.Second) }

// browser is one person's browser: its own Chromium process and profile.
type browser struct {
	t      *testing.T
	name   string
	ctx    context.Context
	mobile bool
	width  int64
}

// newBrowser starts Chromium with a fresh profile and a viewport of w×h;
// mobile turns on touch and the mobile viewport.
func newBrowser(t *testing.T, name string, w, h int64, mobile bool) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(int(w), int(h)),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		acancel()
	})
	var vopts []chromedp.EmulateViewportOption
	if mobile {
		vopts = append(vopts, chromedp.EmulateMobile)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h, vopts...)); err != nil {
		t.Fatalf("%s: starting chromium: %v", name, err)
	}
	b := &browser{t: t, name: name, ctx: ctx, mobile: mobile, width: w}
	b.logConsole()
	return b
}

// logConsole reports the page's console errors and uncaught exceptions in
// the test log (until the test ends).
func (b *browser) logConsole() {
	var mu sync.Mutex
	done := false
	b.t.Cleanup(func() { mu.Lock(); done = true; mu.Unlock() })
	msgs := chromedp.Console(b.ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException && m.Type != chromedp.ConsoleWarning {
				continue
			}
			mu.Lock()
			if !done {
				b.t.Logf("%s console %s: %s (%s:%d)", b.name, m.Type, m.Text, m.URL, m.Line+1)
			}
			mu.Unlock()
		}
	}()
}

// do runs steps with a timeout, failing the test with the browser's name.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("FAIL-" + sanitize(what))
		b.t.Fatalf("%s: %s: %v (page: %s)", b.name, what, err, b.diagnose())
	}
}

// diagnose describes the page's state for a failure message.
func (b *browser) diagnose() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({visibility: document.visibilityState, focus: document.hasFocus(), active: document.activeElement && (document.activeElement.dataset.testid || document.activeElement.tagName), dialogs: document.querySelectorAll('dialog[open]').length, menus: document.querySelectorAll('.menu').length, toasts: [...document.querySelectorAll('[data-testid=toast]')].map(x => x.textContent)})`))
	if err != nil {
		return err.Error()
	}
	return v
}

// eval evaluates a JavaScript expression and returns its value.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: evaluating %q: %v", b.name, expr, err)
	}
	return v
}

// evalAwait evaluates an expression that gives a promise and returns its value.
func evalAwait[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: evaluating %q: %v", b.name, expr, err)
	}
	return v
}

// waitJS waits until the expression is truthy.
func (b *browser) waitJS(what, expr string) {
	b.t.Helper()
	b.waitJSFor(what, expr, 20*time.Second)
}

// waitJSFor is waitJS with a longer limit, for what waits on a reconnect's
// backoff on a loaded machine.
func (b *browser) waitJSFor(what, expr string, limit time.Duration) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, limit)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("!!("+expr+")", chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(limit))); err != nil {
		b.shot("FAIL-" + sanitize(what))
		b.t.Fatalf("%s: waiting for %s: %v", b.name, what, err)
	}
}

// shot saves a screenshot of the viewport under the test's temp dir and
// copies it to shotsDir.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if !strings.HasPrefix(name, "FAIL") {
		b.checkNoOverflow(name)
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("%s: screenshot %s: %v", b.name, name, err)
		return
	}
	saveArtifact(b.t, name+".png", buf)
}

// saveArtifact writes a screenshot (or a printed PDF) under the test's
// temp dir and copies it to shotsDir, named after the test; it returns the
// path in the temp dir.
func saveArtifact(t *testing.T, name string, buf []byte) string {
	t.Helper()
	file := sanitize(t.Name()) + "-" + name
	dir := shotDir(t)
	for _, d := range []string{dir, shotsDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Logf("screenshot dir: %v", err)
			continue
		}
		if err := os.WriteFile(filepath.Join(d, file), buf, 0o644); err != nil {
			t.Logf("screenshot: %v", err)
		}
	}
	return filepath.Join(dir, file)
}

// checkNoOverflow fails the test when the page is wider than the viewport
// (on a phone that zooms the whole page out).
func (b *browser) checkNoOverflow(when string) {
	b.t.Helper()
	w := eval[int](b, `Math.max(innerWidth, document.scrollingElement.scrollWidth)`)
	if int64(w) > b.width {
		b.t.Errorf("%s: at %s the page is %d px wide in a %d px viewport", b.name, when, w, b.width)
	}
}

var shotDirs = map[string]string{}

// shotDir is one temp dir per test for its screenshots.
func shotDir(t *testing.T) string {
	if d, ok := shotDirs[t.Name()]; ok {
		return d
	}
	d := t.TempDir()
	shotDirs[t.Name()] = d
	return d
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '<':
			b.WriteString(`\u003c`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
