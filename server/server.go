// Package server is Rembuk's transport: Fiber HTTP handlers, the WebSocket
// and SSE endpoints, and the rooms that own each live session. It asks
// board for every rule and the Store for every byte on disk. Handlers reach
// a room only through the hub's entry points (room_calls.go); errors leave
// through one table (errors.go). docs/architecture.md walks through it.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"rembuk/board"
)

// Config is what the server needs from main.
type Config struct {
	Store  Store
	Logger *slog.Logger
	// Clock returns the time; tests inject a fixed one.
	Clock func() time.Time
	// RoomIdle is how long a room without clients stays loaded.
	RoomIdle time.Duration
	// AllowedOrigins widens the WebSocket origin check beyond the same host.
	AllowedOrigins []string
	// TrustedProxies are addresses whose X-Forwarded-For is believed.
	TrustedProxies []string
	// TimeZone is the default zone of new sessions' minutes (WIB, WITA, WIT).
	TimeZone string
	// CommandRate and CommandBurst are each participant's command limit
	// across all transports (0: 20/s, burst 40).
	CommandRate  float64
	CommandBurst int
	// SessionsPerHour limits session creation per client address
	// (0: 30; negative: no limit).
	SessionsPerHour int
	// RefuseUpgrades makes every WebSocket upgrade fail (tests of the
	// HTTP fallback only).
	RefuseUpgrades bool
	// PublicURL, when set, is the base of every join link and QR code
	// (a deployment behind a reverse proxy); see GET /api/addresses.
	PublicURL string
	// LANAddrs, when set, are the hosts offered to a page opened on
	// localhost instead of this machine's interface addresses.
	LANAddrs []string
	// Assets is the page to serve (NewAssets); nil prepares the production
	// bundle on the first request for it.
	Assets *Assets
	// MaxConnsPerAddress caps live connections (WebSocket and SSE) from
	// one client address; 0 means maxPerAddress (2,000).
	MaxConnsPerAddress int
	// Cluster makes this server one node of several (cluster.go); its
	// zero value is one node alone, as always.
	Cluster ClusterConfig
}

// Server serves Rembuk over HTTP and WebSocket.
type Server struct {
	cfg   Config
	store Store
	log   *slog.Logger
	app   *fiber.App
	hub   *hub
	// cluster is nil for one node alone (no Leases configured).
	cluster *cluster
	joins   *windowLimiter
	// commands limits each participant's commands over every transport.
	commands *rateLimiter
	// creates limits session creation per client address.
	creates *windowLimiter
	// rejoinAsks limits second-device requests per client address (rejoin.go).
	rejoinAsks *windowLimiter

	// assetsOnce guards page: the prepared static files.
	assetsOnce sync.Once
	page       *Assets
	addrs      *addrCounter  // live connections per client address
	photoSem   chan struct{} // bounds photo decodes at once (photos.go)
	mem        memReleaser   // gives memory back after connections with big frames end

	// sockets tracks live socket handlers so Shutdown can wait for them:
	// Fiber does not, for hijacked connections.
	sockets sync.WaitGroup

	lnMu     sync.Mutex
	ln       *connTracker // set by Serve
	shutdown bool         // Shutdown began: a later Serve returns at once
}

// New builds a server; Serve starts it.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.RoomIdle == 0 {
		cfg.RoomIdle = 5 * time.Minute
	}
	if cfg.CommandRate <= 0 {
		cfg.CommandRate = commandRate
	}
	if cfg.CommandBurst <= 0 {
		cfg.CommandBurst = commandBurst
	}
	if cfg.SessionsPerHour == 0 {
		cfg.SessionsPerHour = sessionsPerHour
	}
	if cfg.TimeZone == "" {
		cfg.TimeZone = "WIB"
	}
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, joins: newWindowLimiter(10, time.Minute),
		commands: newRateLimiter(cfg.CommandRate, float64(cfg.CommandBurst)),
		addrs:    newAddrCounter(cfg.MaxConnsPerAddress), photoSem: make(chan struct{}, photoProcessing)}
	if cfg.SessionsPerHour > 0 {
		s.creates = newWindowLimiter(cfg.SessionsPerHour, time.Hour)
	}
	s.rejoinAsks = newWindowLimiter(rejoinAsksPerAddr, rejoinAskWindow)
	s.shareLimits()
	if cfg.Cluster.Leases != nil {
		s.cluster = newCluster(s, cfg.Cluster)
	}
	s.hub = newHub(roomDeps{store: cfg.Store, now: s.now, newID: s.newID, log: s.log, idle: cfg.RoomIdle, commands: s.commands, cluster: s.cluster})
	s.app = fiber.New(fiber.Config{
		AppName: "rembuk",
		// A photo's limit; smallBodies keeps board.MaxRequestBody on
		// every other request.
		BodyLimit: board.MaxPhotoBytes,
		// Rembuk takes no forms: a multipart body is refused as not JSON
		// (415) by requireJSON rather than parsed before routing.
		DisablePreParseMultipartForm: true,
		DisableStartupMessage:        true,
		ReadTimeout:                  30 * time.Second,
		WriteTimeout:                 30 * time.Second,
		IdleTimeout:                  2 * time.Minute,
		ErrorHandler:                 func(c *fiber.Ctx, err error) error { return s.writeError(c, err) },
		EnableTrustedProxyCheck:      len(cfg.TrustedProxies) > 0,
		TrustedProxies:               cfg.TrustedProxies,
		ProxyHeader:                  proxyHeader(cfg.TrustedProxies),
	})
	s.routes()
	// After the routes: requests other nodes forward run through them.
	if s.cluster != nil {
		if err := s.cluster.start(); err != nil {
			s.log.Error("joining the cluster", "err", err)
		}
	}
	return s
}

func proxyHeader(trusted []string) string {
	if len(trusted) > 0 {
		return fiber.HeaderXForwardedFor
	}
	return ""
}

func (s *Server) now() time.Time { return s.cfg.Clock().UTC() }
func (s *Server) newID() string  { return uuid.NewString() }

// Serve serves on ln until Shutdown. Binding is the caller's, so an
// address like 127.0.0.1:0 can be printed before serving.
func (s *Server) Serve(ln net.Listener) error {
	tl := newConnTracker(ln)
	s.lnMu.Lock()
	if s.shutdown {
		// Shutdown ran before Serve got here: nothing would ever stop
		// this listener.
		s.lnMu.Unlock()
		return tl.Close()
	}
	s.ln = tl
	s.lnMu.Unlock()
	err := s.app.Listener(tl)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// Shutdown stops taking requests, closes every live socket with 1001 after
// the rooms flushed their pending changes, and waits for the socket
// handlers. The store is closed by the caller afterwards.
func (s *Server) Shutdown(ctx context.Context) error {
	defer s.mem.stop()
	errRooms := s.hub.shutdown(ctx)
	if s.cluster != nil {
		s.cluster.shutdown()
	}
	errApp := s.shutdownHTTP(ctx)
	done := make(chan struct{})
	go func() { s.sockets.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return errors.Join(errRooms, errApp, ctx.Err())
	}
	return errors.Join(errRooms, errApp)
}

// shutdownHTTP stops accepting, closes connections that never sent a
// byte, gives requests in flight most of what is left of ctx, then closes
// whatever is still open (a request stuck half-sent would otherwise hold
// shutdown for the 30 s read timeout).
func (s *Server) shutdownHTTP(ctx context.Context) error {
	s.lnMu.Lock()
	s.shutdown = true
	tl := s.ln
	s.lnMu.Unlock()
	if tl == nil {
		return s.app.ShutdownWithContext(ctx)
	}
	tl.Close()
	tl.closeConns(true)
	grace := 2 * time.Second
	if d, ok := ctx.Deadline(); ok && time.Until(d)*3/4 < grace {
		grace = time.Until(d) * 3 / 4
	}
	gctx, cancel := context.WithTimeout(ctx, grace)
	defer cancel()
	err := s.app.ShutdownWithContext(gctx)
	if err != nil && ctx.Err() == nil {
		n := tl.closeConns(false)
		s.log.Info("closed connections still open at shutdown", "count", n)
		return nil
	}
	return err
}
