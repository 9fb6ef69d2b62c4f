// Package crashtest runs the real rembuk binary and kills it: durability
// under kill -9, the backup subcommand on a live database, graceful
// shutdown, and (on request) throughput with a slow fsync.
package crashtest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"rembuk/internal/testenv"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.RemoveBinary()
	os.Exit(code)
}

// proc is one running server process (internal/testenv starts it).
type proc struct{ *testenv.Node }

// startProc runs the binary on db, listening on a free port, and waits for
// /healthz to answer.
func startProc(t testing.TB, db string, env ...string) *proc {
	t.Helper()
	if so := os.Getenv("REMBUK_CRASH_SLOWFSYNC_SO"); so != "" {
		// scripts/crash.sh: every fsync of the server slowed down, so
		// more kills land while a commit is being made durable.
		env = append(env, "LD_PRELOAD="+so)
	}
	// The tests create a hundred sessions from 127.0.0.1 in seconds.
	return &proc{testenv.StartNode(t, testenv.NodeConfig{Args: []string{"-db", db, "-sessions-per-hour", "0"}, Env: env})}
}

// kill sends SIGKILL (a power cut, as far as the process can tell) and
// waits for the process to be gone.
func (p *proc) kill() { p.Kill() }

// stop sends SIGTERM and returns how long it took and the exit error.
func (p *proc) stop(t testing.TB, within time.Duration) (time.Duration, error) {
	t.Helper()
	return p.Stop(within)
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
