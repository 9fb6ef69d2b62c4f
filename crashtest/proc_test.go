// Package crashtest runs the real rembuk binary and kills it: durability
// under kill -9, the backup subcommand on a live database, graceful
// shutdown, and (on request) throughput with a slow fsync.
package crashtest

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// rembukBinary builds the server once per test run.
func rembukBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rembuk-crashtest-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "rembuk")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// proc is one running server process.
type proc struct {
	cmd  *exec.Cmd
	URL  string
	logs *bytes.Buffer // stderr: the JSON logs
	mu   sync.Mutex
	done chan struct{}
	err  error
}

// startProc runs the binary on db, listening on a free port, and waits for
// its first line.
func startProc(t testing.TB, db string, env ...string) *proc {
	t.Helper()
	// The tests create a hundred sessions from 127.0.0.1 in seconds.
	cmd := exec.Command(rembukBinary(t), "-addr", "127.0.0.1:0", "-db", db, "-sessions-per-hour", "0")
	cmd.Env = append(os.Environ(), env...)
	if so := os.Getenv("REMBUK_CRASH_SLOWFSYNC_SO"); so != "" {
		// scripts/crash.sh: every fsync of the server slowed down, so
		// more kills land while a commit is being made durable.
		cmd.Env = append(cmd.Env, "LD_PRELOAD="+so)
	}
	p := &proc{cmd: cmd, logs: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stderr = &lockedWriter{mu: &p.mu, w: p.logs}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	lines := bufio.NewReader(out)
	first := make(chan string, 1)
	go func() {
		l, _ := lines.ReadString('\n')
		first <- l
		io.Copy(io.Discard, lines)
	}()
	select {
	case l := <-first:
		const prefix = "rembuk listening on "
		if !strings.HasPrefix(l, prefix) {
			p.kill()
			t.Fatalf("first line %q; logs:\n%s", l, p.Logs())
		}
		p.URL = strings.TrimSpace(strings.TrimPrefix(l, prefix))
	case <-time.After(30 * time.Second):
		p.kill()
		t.Fatalf("no listening line within 30 s; logs:\n%s", p.Logs())
	}
	t.Cleanup(p.kill)
	return p
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// Logs returns what the process wrote to stderr so far.
func (p *proc) Logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// kill sends SIGKILL (a power cut, as far as the process can tell) and
// waits for the process to be gone.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop sends SIGTERM and returns how long it took and the exit error.
func (p *proc) stop(t testing.TB, within time.Duration) (time.Duration, error) {
	t.Helper()
	start := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return time.Since(start), p.err
	case <-time.After(within):
		p.kill()
		return time.Since(start), fmt.Errorf("still running %v after SIGTERM", within)
	}
}

// httpJSON sends a JSON request and decodes the answer.
func httpJSON(t testing.TB, method, url, token string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// participant is one seat in a session.
type participant struct {
	Session, Token, Column string
}

// setupSessions creates n sessions with per participants each (the
// facilitator first) on a running server.
func setupSessions(t testing.TB, url string, n, per int) [][]participant {
	t.Helper()
	out := make([][]participant, n)
	for i := range out {
		var c struct{ ID, JoinCode, FacilitatorToken string }
		if st := httpJSON(t, "POST", url+"/api/sessions", "", map[string]any{"title": fmt.Sprint("Uji ", i), "template": "kosong", "facilitatorName": "Fasilitator"}, &c); st != 201 {
			t.Fatalf("create session: %d", st)
		}
		var bd struct{ Columns []struct{ ID string } }
		httpJSON(t, "GET", url+"/api/sessions/"+c.ID+"/board", c.FacilitatorToken, nil, &bd)
		out[i] = append(out[i], participant{c.ID, c.FacilitatorToken, bd.Columns[0].ID})
		for j := 1; j < per; j++ {
			var jn struct{ Token string }
			if st := httpJSON(t, "POST", url+"/api/join", "", map[string]any{"code": c.JoinCode, "name": fmt.Sprint("Peserta ", j)}, &jn); st != 201 {
				t.Fatalf("join: %d", st)
			}
			out[i] = append(out[i], participant{c.ID, jn.Token, bd.Columns[0].ID})
		}
	}
	return out
}

// openRO opens a database file read-only for inspection.
func openRO(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

var _ = context.Background
