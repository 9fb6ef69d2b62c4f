// Command rembuk serves the Rembuk live discussion board.
//
//	rembuk [-addr :8080] [-db ./data/rembuk.db]   serve
//	rembuk -db postgres://HOST/DB                 serve from PostgreSQL
//	rembuk backup -db PATH -out FILE              copy a live database
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"rembuk/board"
	"rembuk/server"
	"rembuk/store"
)

var _ server.Store = (*store.DB)(nil)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "rembuk:", err)
		os.Exit(1)
	}
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// envInt is env for a number; a value that is not one is left to the
// flag's own check by returning def.
func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return def
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "backup" {
		return backup(args[1:], stdout)
	}
	fs := flag.NewFlagSet("rembuk", flag.ContinueOnError)
	addr := fs.String("addr", env("REMBUK_ADDR", ":8080"), "listen address (env REMBUK_ADDR)")
	dbPath := fs.String("db", env("REMBUK_DB", "./data/rembuk.db"), "SQLite database file, or postgres://… for PostgreSQL (env REMBUK_DB)")
	origins := fs.String("allowed-origins", env("REMBUK_ALLOWED_ORIGINS", ""), "extra WebSocket origins, comma-separated (env REMBUK_ALLOWED_ORIGINS)")
	proxies := fs.String("trusted-proxies", env("REMBUK_TRUSTED_PROXIES", ""), "reverse proxies whose X-Forwarded-For is trusted, comma-separated (env REMBUK_TRUSTED_PROXIES)")
	zone := fs.String("timezone", env("REMBUK_TIMEZONE", "WIB"), "default zone of the minutes: WIB, WITA or WIT (env REMBUK_TIMEZONE)")
	perHour := fs.Int("sessions-per-hour", envInt("REMBUK_SESSIONS_PER_HOUR", 30), "sessions one client address may create in an hour; 0 for no limit (env REMBUK_SESSIONS_PER_HOUR)")
	cmdRate := fs.Int("command-rate", envInt("REMBUK_COMMAND_RATE", 0), "commands a second one participant may send over all their connections, bursts of twice that; 0 for the default, 20 (env REMBUK_COMMAND_RATE)")
	refuseWS := fs.Bool("refuse-websockets", false, "refuse every WebSocket upgrade (for testing the HTTP fallback)")
	publicURL := fs.String("public-url", env("REMBUK_PUBLIC_URL", ""), "base of join links and QR codes, e.g. https://rembuk.example.go.id behind a proxy (env REMBUK_PUBLIC_URL)")
	lanAddrs := fs.String("lan-addrs", env("REMBUK_LAN_ADDRS", ""), "hosts offered to phones when the page is opened on localhost, comma-separated; default this machine's addresses (env REMBUK_LAN_ADDRS)")
	dev := fs.Bool("dev", env("REMBUK_DEV", "") == "1", "serve the page's sources as they are, unbundled and uncached, with no service worker (env REMBUK_DEV=1)")
	logLevel := fs.String("log-level", env("REMBUK_LOG_LEVEL", "info"), "debug, info, warn or error")
	var cf clusterFlags
	cf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cf.check(*dbPath); err != nil {
		return err
	}
	if *perHour < 0 {
		return fmt.Errorf("-sessions-per-hour must be 0 or more")
	}
	if *perHour == 0 {
		*perHour = -1 // server.Config: negative is no limit
	}
	if *cmdRate < 0 {
		return fmt.Errorf("-command-rate must be 0 (the default) or more")
	}
	if _, ok := board.TimeZone(*zone); !ok {
		return fmt.Errorf("-timezone must be WIB, WITA or WIT")
	}
	pub, err := server.CleanPublicURL(*publicURL)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))

	// The page is bundled and compressed before the port opens: a broken
	// page stops the start instead of reaching the first visitor.
	assets, err := server.NewAssets(*dev)
	if err != nil {
		return fmt.Errorf("prepare the page: %w", err)
	}
	db, err := openStore(*dbPath, log)
	if err != nil {
		return err
	}
	cluster, closeBroker, err := cf.setup(*dbPath, db, *addr, log)
	if err != nil {
		db.Close()
		return err
	}
	defer closeBroker()
	srv := server.New(server.Config{
		Store: db, Logger: log, AllowedOrigins: splitList(*origins),
		TrustedProxies: splitList(*proxies), TimeZone: *zone, RefuseUpgrades: *refuseWS,
		PublicURL: pub, LANAddrs: splitList(*lanAddrs),
		Assets:          assets,
		SessionsPerHour: *perHour,
		CommandRate:     float64(*cmdRate), CommandBurst: 2 * *cmdRate,
		Cluster: cluster,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		db.Close()
		return err
	}
	fmt.Fprintf(stdout, "rembuk listening on http://%s\n", displayAddr(ln.Addr()))
	if pub != "" {
		fmt.Fprintf(stdout, "  join links use: %s\n", pub)
	} else {
		printLANURLs(stdout, ln.Addr())
	}
	log.Info("serving", "addr", ln.Addr().String(), "db", redactDB(*dbPath))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sig:
		log.Info("shutting down", "signal", s.String())
	case err := <-errc:
		db.Close()
		return err
	}
	// Order: rooms flush and close sockets (1001), HTTP stops, then the
	// database closes after its last commit.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	errSrv := srv.Shutdown(ctx)
	errDB := db.Close()
	if errSrv != nil {
		log.Warn("shutdown", "err", errSrv)
	}
	return errDB
}

// displayAddr prints a wildcard listen address as localhost-reachable.
func displayAddr(a net.Addr) string {
	t, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	host := t.IP.String()
	if t.IP == nil || t.IP.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, fmt.Sprint(t.Port))
}

func backup(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dbPath := fs.String("db", env("REMBUK_DB", "./data/rembuk.db"), "database to copy")
	out := fs.String("out", "", "file to write (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if isPostgres(*dbPath) {
		return errBackupPostgres(*dbPath)
	}
	if *out == "" {
		return errors.New("backup: -out is required")
	}
	// Read-only and without migrations: the server may be running.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := store.BackupFile(ctx, *dbPath, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *out)
	return nil
}

// printLANURLs tells the facilitator which addresses phones in the room
// can open, when listening on all interfaces.
func printLANURLs(w io.Writer, a net.Addr) {
	t, ok := a.(*net.TCPAddr)
	if !ok || !(t.IP == nil || t.IP.IsUnspecified()) {
		return
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return
	}
	for _, ad := range addrs {
		if n, ok := ad.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			fmt.Fprintf(w, "  on this network: http://%s\n", net.JoinHostPort(n.IP.String(), fmt.Sprint(t.Port)))
		}
	}
}
