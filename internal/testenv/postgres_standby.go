package testenv

// A streaming-replication standby of a throwaway PostgreSQL, for tests of
// what an operator does when the primary's machine dies: promote the
// standby, and the nodes find it through a multi-host URL
// (docs/cluster.md, "Running a cluster → PostgreSQL").

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Standby is a hot standby of Primary streaming its WAL (pg_basebackup
// -R -X stream), in its own temporary folder and on its own port.
type Standby struct {
	*Postgres
	Primary *Postgres
}

// StartStandby takes a base backup of p into a new temporary folder and
// starts it as a streaming standby; it returns once p sees it streaming.
// With synchronous, p then waits for the standby at every commit
// (synchronous_standby_names = '*', synchronous_commit = on). That is set
// after the backup, so the standby's own configuration does not have it:
// once promoted it has no standby to wait for.
//
// initdb's pg_hba.conf (-A trust) already lets 127.0.0.1 replicate, and
// PostgreSQL 15's defaults are wal_level = replica and max_wal_senders =
// 10.
func (p *Postgres) StartStandby(synchronous bool) (*Standby, error) {
	dir, err := os.MkdirTemp("", "rembuk-pg-standby-")
	if err != nil {
		return nil, err
	}
	s := &Standby{Postgres: &Postgres{Dir: dir}, Primary: p}
	fail := func(err error) (*Standby, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := s.chown(); err != nil {
		return fail(err)
	}
	backup := s.run(filepath.Join(PostgresBin, "pg_basebackup"), "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port), "-U", "postgres",
		"-D", s.data(), "-R", "-X", "stream", "-c", "fast", "--no-sync")
	if out, err := backup.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("pg_basebackup: %v: %s", err, out))
	}
	if s.Port, err = freePort(); err != nil {
		return fail(err)
	}
	// The primary's settings (-c) apply to the standby too.
	opts, err := os.ReadFile(filepath.Join(p.Dir, "opts"))
	if err != nil {
		return fail(err)
	}
	own := strings.NewReplacer(fmt.Sprintf("-p %d ", p.Port), fmt.Sprintf("-p %d ", s.Port), "-k "+p.Dir+" ", "-k "+dir+" ").Replace(string(opts))
	if err := os.WriteFile(filepath.Join(dir, "opts"), []byte(own), 0o644); err != nil {
		return fail(err)
	}
	if err := s.ctl("start", "-o", own, "-l", filepath.Join(dir, "log")); err != nil {
		return fail(err)
	}
	if synchronous {
		for _, q := range []string{`ALTER SYSTEM SET synchronous_standby_names = '*'`, `ALTER SYSTEM SET synchronous_commit = on`, `SELECT pg_reload_conf()`} {
			if err := p.admin(q); err != nil {
				s.Remove()
				return nil, fmt.Errorf("primary: %s: %w", q, err)
			}
		}
	}
	want := "async"
	if synchronous {
		want = "sync"
	}
	if err := s.waitState(want, 30*time.Second); err != nil {
		s.Remove()
		return nil, err
	}
	return s, nil
}

// StartReplicated starts a throwaway primary with a streaming standby of
// it (StartStandby) and creates database db on the primary, so on both;
// url is db's multi-host URL over the two (MultiHostURL). Both servers
// are removed when tb ends; a missing PostgreSQL skips tb (fails it when
// required).
func StartReplicated(tb testing.TB, synchronous bool, db string) (standby *Standby, url string) {
	tb.Helper()
	primary, err := StartPostgres()
	if err != nil {
		SkipOrFail(tb, err)
	}
	tb.Cleanup(func() { primary.Remove() })
	standby, err = primary.StartStandby(synchronous)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { standby.Remove() })
	if _, err := primary.NewDatabase(db); err != nil {
		tb.Fatal(err)
	}
	return standby, MultiHostURL(db, primary, standby.Postgres)
}

// waitState waits until the primary shows the standby streaming with
// sync_state want ("sync" or "async").
func (s *Standby) waitState(want string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		state, sync, _, err := s.sender()
		if err == nil && state == "streaming" && sync == want {
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(s.Dir, "log"))
			return fmt.Errorf("standby not %s/streaming within %v (state %q %q, %v); standby log:\n%s", want, limit, state, sync, err, tail(string(log), 2000))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sender reads the primary's walsender of the standby: its state,
// sync_state and pid.
func (s *Standby) sender() (state, sync string, pid int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, s.Primary.URL("postgres"))
	if err != nil {
		return "", "", 0, err
	}
	defer c.Close(ctx)
	err = c.QueryRow(ctx, `SELECT state, sync_state, pid FROM pg_stat_replication LIMIT 1`).Scan(&state, &sync, &pid)
	return state, sync, pid, err
}

// FreezeSender stops the primary's walsender with SIGSTOP: the standby
// falls behind as over a slow link (what was sent before is delivered,
// nothing after). Commits waiting for a synchronous standby wait; with an
// asynchronous one they go on. resume sends SIGCONT.
func (s *Standby) FreezeSender() (resume func() error, err error) {
	_, _, pid, err := s.sender()
	if err != nil {
		return nil, fmt.Errorf("walsender: %w", err)
	}
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		return nil, err
	}
	return func() error { return syscall.Kill(pid, syscall.SIGCONT) }, nil
}

// Promote makes the standby a primary (pg_ctl promote -w): it returns once
// the standby accepts writes.
func (s *Standby) Promote() error { return s.ctl("promote") }

// InRecovery reports whether the server is still a standby.
func (p *Postgres) InRecovery() (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, p.URL("postgres"))
	if err != nil {
		return false, err
	}
	defer c.Close(ctx)
	var in bool
	err = c.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&in)
	return in, err
}

// Freeze stops the postmaster and every process it started with
// SIGSTOP: a machine that hangs. The kernel still accepts connections on
// its port (nobody answers them).
func (p *Postgres) Freeze() error {
	_, err := p.stopAll()
	return err
}

// stopAll sends SIGSTOP to the postmaster, then to each of its children,
// and returns their pids (the postmaster's first): stopped first, it
// starts no other.
func (p *Postgres) stopAll() ([]int, error) {
	b, err := os.ReadFile(filepath.Join(p.data(), "postmaster.pid"))
	if err != nil {
		return nil, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		return nil, fmt.Errorf("postmaster.pid: %w", err)
	}
	// A stale postmaster.pid's pid may be another program's by now.
	if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) != "postgres" || !alive(pid) {
		return nil, fmt.Errorf("postmaster %d is not running", pid)
	}
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		return nil, fmt.Errorf("postmaster %d: %w", pid, err)
	}
	pids := append([]int{pid}, childrenOf(pid)...)
	for _, k := range pids[1:] {
		syscall.Kill(k, syscall.SIGSTOP)
	}
	return pids, nil
}

// Kill is the machine's power cut: SIGKILL to the postmaster and every
// process it started, at once, so none of them sends another byte (a
// walsender included). The folder stays until Remove.
func (p *Postgres) Kill() error {
	// Frozen first, so none of them reacts to another's death; then
	// killed.
	pids, err := p.stopAll()
	if err != nil {
		return err
	}
	for _, k := range pids {
		syscall.Kill(k, syscall.SIGKILL)
	}
	// Gone once the kernel has reaped them (or they are zombies of the
	// pg_ctl-started postmaster's parent, which is init).
	deadline := time.Now().Add(10 * time.Second)
	for _, k := range pids {
		for alive(k) {
			if time.Now().After(deadline) {
				return fmt.Errorf("postgres process %d still alive 10 s after SIGKILL", k)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return nil
}

// childrenOf lists the processes whose parent is pid (from /proc).
func childrenOf(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		k, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) STATE PPID …: comm may hold spaces.
		i := strings.LastIndexByte(string(b), ')')
		if f := strings.Fields(string(b[i+1:])); i > 0 && len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, k)
		}
	}
	return out
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(b), ')')
	return i < 0 || i+2 >= len(b) || b[i+2] != 'Z'
}

// Remove kills the server if it still runs (frozen or not) and removes
// its folder; for a server that was killed, or whose databases need not
// be dropped one by one.
func (p *Postgres) Remove() error {
	p.Kill() // an error: it was not running
	return os.RemoveAll(p.Dir)
}

// NewDatabase creates database name on p and returns its URL. It is not
// dropped: the server is thrown away whole (Remove), and a database
// created on a primary is on its standbys too.
func (p *Postgres) NewDatabase(name string) (string, error) {
	if err := p.admin(`CREATE DATABASE ` + pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	return p.URL(name), nil
}

// MultiHostURL is the URL an operator gives every node (docs/cluster.md):
// every server listed, the first that accepts writes taken
// (target_session_attrs=read-write), so a node finds the primary again
// after a promotion.
func MultiHostURL(db string, servers ...*Postgres) string {
	hosts := make([]string, len(servers))
	for i, s := range servers {
		hosts[i] = fmt.Sprintf("127.0.0.1:%d", s.Port)
	}
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable&target_session_attrs=read-write", strings.Join(hosts, ","), db)
}
