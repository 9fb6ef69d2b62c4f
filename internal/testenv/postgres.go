// Package testenv starts the real programs tests run against (PostgreSQL
// here; nats-server, HAProxy and built nodes beside it) as throwaway
// processes on 127.0.0.1. A missing program skips the test, unless
// REMBUK_REQUIRE_TOOLS=1 (CI) makes it a failure.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresBin is where Debian installs PostgreSQL 15's programs.
const PostgresBin = "/usr/lib/postgresql/15/bin"

// ErrMissing wraps the error of a program that is not installed.
var ErrMissing = errors.New("not installed")

// Required reports whether a missing program fails the test instead of
// skipping it (REMBUK_REQUIRE_TOOLS=1, set by CI).
func Required() bool { return os.Getenv("REMBUK_REQUIRE_TOOLS") == "1" }

// SkipOrFail ends tb because err kept it from starting a program: a skip
// when the program is missing and not required, a failure otherwise.
func SkipOrFail(tb testing.TB, err error) {
	tb.Helper()
	if errors.Is(err, ErrMissing) && !Required() {
		tb.Skip(err)
	}
	tb.Fatal(err)
}

// Postgres is a throwaway PostgreSQL server: its own data folder in a
// temporary directory, listening on 127.0.0.1:Port and a socket in Dir.
type Postgres struct {
	Dir  string // the temporary folder: data/, the socket, the log
	Port int
	dbs  atomic.Int64
}

// StartPostgres initialises a cluster in a new temporary folder and
// starts it; settings are extra "name=value" server settings (-c). initdb
// refuses to run as root, so as root it runs as the postgres user.
func StartPostgres(settings ...string) (*Postgres, error) {
	initdb := filepath.Join(PostgresBin, "initdb")
	if _, err := os.Stat(initdb); err != nil {
		return nil, fmt.Errorf("PostgreSQL 15 (%s): %w", PostgresBin, ErrMissing)
	}
	dir, err := os.MkdirTemp("", "rembuk-pg-")
	if err != nil {
		return nil, err
	}
	p := &Postgres{Dir: dir}
	if err := p.chown(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if out, err := p.run(initdb, "-D", p.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	if p.Port, err = freePort(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", p.Port, dir)
	for _, s := range settings {
		opts += " -c " + s
	}
	if err := os.WriteFile(filepath.Join(dir, "opts"), []byte(opts), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := p.ctl("start", "-o", opts, "-l", filepath.Join(dir, "log")); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return p, nil
}

func (p *Postgres) data() string { return filepath.Join(p.Dir, "data") }

// chown gives the folder to the postgres user when running as root.
func (p *Postgres) chown() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(p.Dir, uid, gid)
}

// run is a PostgreSQL program as the postgres user when root.
func (p *Postgres) run(prog string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", prog}, args...)...)
	}
	return exec.Command(prog, args...)
}

// ctl runs pg_ctl with the cluster's data folder, waiting for it.
func (p *Postgres) ctl(action string, args ...string) error {
	args = append([]string{action, "-D", p.data(), "-w", "-t", "60"}, args...)
	if out, err := p.run(filepath.Join(PostgresBin, "pg_ctl"), args...).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.Dir, "log"))
		return fmt.Errorf("pg_ctl %s: %v: %s\n%s", action, err, out, tail(string(log), 2000))
	}
	return nil
}

// Restart restarts the server with pg_ctl's mode ("fast", "immediate":
// as after a crash, recovering from the WAL), on the same port.
func (p *Postgres) Restart(mode string) error {
	opts, err := os.ReadFile(filepath.Join(p.Dir, "opts"))
	if err != nil {
		return err
	}
	return p.ctl("restart", "-m", mode, "-o", string(opts), "-l", filepath.Join(p.Dir, "log"))
}

// Stop stops the server and removes its folder.
func (p *Postgres) Stop() error {
	err := p.ctl("stop", "-m", "fast")
	return errors.Join(err, os.RemoveAll(p.Dir))
}

// URL is the connection URL of database db.
func (p *Postgres) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.Port, db)
}

// CreateDatabase creates a fresh, empty database and returns its URL; it
// is dropped (closing what still uses it) when tb ends.
func (p *Postgres) CreateDatabase(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), p.dbs.Add(1))
	if err := p.admin(`CREATE DATABASE ` + name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		if err := p.admin(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	return p.URL(name)
}

// admin runs one statement in the postgres database.
func (p *Postgres) admin(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, p.URL("postgres"))
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql)
	return err
}

// SharedPostgres is one server for a test package, started by the first
// test that asks for it; TestMain calls Stop after m.Run.
type SharedPostgres struct {
	Settings []string // extra server settings for StartPostgres
	once     sync.Once
	pg       *Postgres
	err      error
}

// Get returns the package's server, starting it on first use; it skips or
// fails tb when PostgreSQL cannot start.
func (s *SharedPostgres) Get(tb testing.TB) *Postgres {
	tb.Helper()
	s.once.Do(func() { s.pg, s.err = StartPostgres(s.Settings...) })
	if s.err != nil {
		SkipOrFail(tb, s.err)
	}
	return s.pg
}

// Database is a fresh database on the package's server (see
// Postgres.CreateDatabase).
func (s *SharedPostgres) Database(tb testing.TB) string {
	tb.Helper()
	return s.Get(tb).CreateDatabase(tb)
}

// Stop stops the server if one was started.
func (s *SharedPostgres) Stop() error {
	if s.pg == nil {
		return nil
	}
	return s.pg.Stop()
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
