// Command profserver is Rembuk's server wired as main.go wires it, plus a
// CPU and heap profile written on SIGTERM: the bench tool runs it instead
// of the real binary with -cpuprofile, so the profile holds the server
// alone, not the load generator.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"rembuk/server"
	"rembuk/store"
)

var traceSubmit *bool

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	dbPath := flag.String("db", "", "SQLite database file")
	level := flag.String("log-level", "warn", "log level")
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	mem := flag.String("memprofile", "", "write a heap profile here on exit")
	perHour := flag.Int("sessions-per-hour", 30, "sessions one client address may create in an hour; 0 for no limit (as the real binary)")
	traceSubmit = flag.Bool("trace-submit", os.Getenv("BENCH_TRACE_SUBMIT") != "", "report Submit sizes and latencies on exit (env BENCH_TRACE_SUBMIT)")
	flag.Parse()
	var lv slog.Level
	lv.UnmarshalText([]byte(*level))
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: lv}))
	if *perHour == 0 {
		*perHour = -1 // server.Config: negative is no limit
	}
	if err := run(*addr, *dbPath, *cpu, *mem, *perHour, log); err != nil {
		fmt.Fprintln(os.Stderr, "profserver:", err)
		os.Exit(1)
	}
}

func run(addr, dbPath, cpu, mem string, perHour int, log *slog.Logger) error {
	db, err := store.Open(dbPath, log)
	if err != nil {
		return err
	}
	var st server.Store = db
	var ts *timedStore
	if *traceSubmit {
		ts = &timedStore{Store: db}
		st = ts
	}
	srv := server.New(server.Config{Store: st, Logger: log, SessionsPerHour: perHour})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Printf("rembuk listening on http://%s\n", ln.Addr())
	go srv.Serve(ln)
	// SIGUSR1 writes a heap profile of the live server (W5 sends it while
	// its 2,000 connections are open).
	usr := make(chan os.Signal, 1)
	signal.Notify(usr, syscall.SIGUSR1)
	go func() {
		for range usr {
			if mem != "" {
				writeHeap(mem + ".live")
			}
		}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	if mem != "" {
		writeHeap(mem)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
	if ts != nil {
		ts.report(os.Stderr)
	}
	return db.Close()
}

func writeHeap(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	runtime.GC()
	pprof.WriteHeapProfile(f)
	if g, err := os.Create(path + ".goroutines"); err == nil {
		pprof.Lookup("goroutine").WriteTo(g, 1)
		g.Close()
	}
}
