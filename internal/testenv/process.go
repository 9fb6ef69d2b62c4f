package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Process is a program a test starts, and may stop, kill, pause and start
// again: a node, nats-server, HAProxy. Its stdout and stderr go to one log
// kept across restarts (for failure messages) and, when Tee is set, there
// too.
type Process struct {
	Name string    // for messages: "node n1", "nats-server"
	Bin  string    // the executable
	Args []string  // its arguments; a restart takes them as they are then
	Env  []string  // added to the test's environment
	Dir  string    // working directory ("" = the test's)
	Tee  io.Writer // also copy the output here (nil: only the log)
	// StopSignal is what Stop sends (default SIGTERM; nats-server exits 0
	// on SIGINT).
	StopSignal syscall.Signal

	mu   sync.Mutex
	logs bytes.Buffer
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	runs int
}

type procWriter struct{ p *Process }

func (w procWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	w.p.logs.Write(b)
	if w.p.Tee != nil {
		w.p.Tee.Write(b)
	}
	return len(b), nil
}

// start runs the program once more with args. The previous run must be
// over.
func (p *Process) start(args []string) error {
	if p.Running() {
		return fmt.Errorf("%s is already running", p.Name)
	}
	cmd := exec.Command(p.Bin, args...)
	cmd.Env = append(os.Environ(), p.Env...)
	cmd.Dir = p.Dir
	w := procWriter{p}
	cmd.Stdout, cmd.Stderr = w, w
	p.mu.Lock()
	p.runs++
	if p.runs > 1 {
		fmt.Fprintf(&p.logs, "--- %s started again (run %d) ---\n", p.Name, p.runs)
	}
	p.mu.Unlock()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	done := make(chan struct{})
	p.mu.Lock()
	p.cmd, p.done, p.err = cmd, done, nil
	p.mu.Unlock()
	go func() {
		err := cmd.Wait()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(done)
	}()
	return nil
}

// Running reports whether the last run has not ended (a paused process
// is running).
func (p *Process) Running() bool {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	if done == nil {
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// Done is closed when the current run ends.
func (p *Process) Done() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return p.done
}

// ExitErr is how the last run ended (nil for exit code 0; meaningful once
// Done is closed).
func (p *Process) ExitErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Pid is the current run's process id (0 before the first start).
func (p *Process) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

func (p *Process) signal(s syscall.Signal) error {
	p.mu.Lock()
	cmd := p.cmd
	p.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return errors.New(p.Name + " never started")
	}
	return cmd.Process.Signal(s)
}

// Kill sends SIGKILL (a power cut, as far as the process can tell) and
// waits until it is gone. A process that is not running is left alone.
func (p *Process) Kill() {
	if !p.Running() {
		return
	}
	p.signal(syscall.SIGKILL)
	<-p.Done()
}

// Stop sends SIGTERM (or StopSignal) and waits up to within for the process to end (then
// kills it). It returns how long it took and the exit error (an error of
// its own when the process had to be killed).
func (p *Process) Stop(within time.Duration) (time.Duration, error) {
	start := time.Now()
	if !p.Running() {
		return 0, p.ExitErr()
	}
	p.signal(syscall.SIGCONT) // a paused process cannot act on SIGTERM
	sig := p.StopSignal
	if sig == 0 {
		sig = syscall.SIGTERM
	}
	p.signal(sig)
	select {
	case <-p.Done():
		return time.Since(start), p.ExitErr()
	case <-time.After(within):
		p.Kill()
		return time.Since(start), fmt.Errorf("%s still running %v after SIGTERM", p.Name, within)
	}
}

// Pause stops the process with SIGSTOP and waits until the kernel shows
// it stopped: it holds its sockets and leases but does nothing, as a
// machine that hangs.
func (p *Process) Pause() error {
	if err := p.signal(syscall.SIGSTOP); err != nil {
		return err
	}
	stat := fmt.Sprintf("/proc/%d/stat", p.Pid())
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		b, err := os.ReadFile(stat)
		if err != nil {
			return err
		}
		// pid (comm) STATE …: comm may hold spaces, the state follows
		// the last ')'.
		if i := bytes.LastIndexByte(b, ')'); i > 0 && i+2 < len(b) && (b[i+2] == 'T' || b[i+2] == 't') {
			return nil
		}
	}
	return fmt.Errorf("%s not stopped 5 s after SIGSTOP", p.Name)
}

// Resume continues a paused process (SIGCONT).
func (p *Process) Resume() error { return p.signal(syscall.SIGCONT) }

// Logs is everything the process wrote so far, across restarts.
func (p *Process) Logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// Tail is the last n bytes of Logs, for a failure message.
func (p *Process) Tail(n int) string {
	s := p.Logs()
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
