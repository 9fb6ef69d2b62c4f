package server

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// clientAddr is the address the failed-join limiter counts. Behind a
// trusted proxy it is the last X-Forwarded-For entry, the one that proxy
// added: entries before it come from the client (a proxy that appends,
// like nginx's $proxy_add_x_forwarded_for, passes them on) and would let
// a client pick a new address for every try. The last entry of the last
// header line: HAProxy's `option forwardfor` adds a line of its own after
// whatever X-Forwarded-For the client sent, and c.Get reads the first
// line. Fiber's c.IP() takes the first entry.
func (s *Server) clientAddr(c *fiber.Ctx) string {
	if a, ok := s.forwardedAddr(c); ok {
		return a // forwarded by another node of the cluster (cluster_http.go)
	}
	if len(s.cfg.TrustedProxies) > 0 && c.IsProxyTrusted() {
		var h string
		if lines := c.Request().Header.PeekAll(fiber.HeaderXForwardedFor); len(lines) > 0 {
			h = string(lines[len(lines)-1])
		}
		if i := strings.LastIndexByte(h, ','); i >= 0 {
			h = h[i+1:]
		}
		if h = strings.TrimSpace(h); h != "" {
			return strings.Clone(h)
		}
	}
	return c.Context().RemoteIP().String()
}

// AddressLimits is what a store shared by several nodes adds so that a
// per-address limit (failed joins, sessions created, rejoin asks) holds
// across them, whichever node a balancer sends each request to
// (docs/cluster.md, "Limits across nodes"). kind names the limit, key is
// the client address, at is the asking node's clock.
type AddressLimits interface {
	// HitAddress returns the hits of (kind, key) newer than at-window,
	// oldest first. With take it first records a hit at at unless max are
	// in the window already (taken says whether it did): one atomic step
	// across every node.
	HitAddress(ctx context.Context, kind, key string, at time.Time, window time.Duration, max int, take bool) (hits []time.Time, taken bool, err error)
}

// windowLimiter counts events per key (a client address) in a sliding
// window: failed joins, sessions created. Max in the window and the key is
// refused until the oldest ages out. With shared set (a node of a cluster)
// the events are counted in the store, for every node at once; the memory
// here then serves only while the store cannot answer.
type windowLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time

	kind   string
	shared AddressLimits
	log    *slog.Logger
}

// shareLimits makes the per-address limits count in the store when it is
// shared by nodes (leases configured: PostgreSQL, or server tests of a
// cluster over one SQLite file). One node on its own file keeps them in
// memory: it sees every request, and needs no disk write per failed join.
func (s *Server) shareLimits() {
	al, ok := s.cfg.Store.(AddressLimits)
	if !ok || s.cfg.Cluster.Leases == nil {
		return
	}
	s.joins.sharedBy(al, "joins", s.log)
	s.rejoinAsks.sharedBy(al, "rejoin", s.log)
	if s.creates != nil {
		s.creates.sharedBy(al, "creates", s.log)
	}
}

func newWindowLimiter(max int, window time.Duration) *windowLimiter {
	return &windowLimiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// sharedBy makes the limiter count in the store under kind.
func (l *windowLimiter) sharedBy(al AddressLimits, kind string, log *slog.Logger) *windowLimiter {
	l.shared, l.kind, l.log = al, kind, log
	return l
}

// sharedTimeout bounds a limit's round trip to the store.
const sharedTimeout = 2 * time.Second

// inStore asks the shared store (ok false: none, or it failed and this
// node's memory decides instead, which is no worse than before).
func (l *windowLimiter) inStore(key string, now time.Time, take bool) (hits []time.Time, taken, ok bool) {
	if l.shared == nil {
		return nil, false, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	hits, taken, err := l.shared.HitAddress(ctx, l.kind, key, now, l.window, l.max, take)
	if err != nil {
		l.log.Warn("per-address limit: the store did not answer; this node counts alone", "kind", l.kind, "err", err)
		return nil, false, false
	}
	return hits, taken, true
}

func (l *windowLimiter) prune(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
	} else {
		l.fails[key] = ts
	}
	return ts
}

// blocked reports whether key has max events in the window.
func (l *windowLimiter) blocked(key string, now time.Time) bool {
	if hits, _, ok := l.inStore(key, now, false); ok {
		return len(hits) >= l.max
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(key, now)) >= l.max
}

// record counts one event of key. In the store it is a take: past max
// the key is blocked anyway, and the oldest max hits decide how long.
func (l *windowLimiter) record(key string, now time.Time) {
	if _, _, ok := l.inStore(key, now, true); ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.add(key, now)
}

// add counts one event of key; l.mu is held.
func (l *windowLimiter) add(key string, now time.Time) {
	l.fails[key] = append(l.prune(key, now), now)
	if len(l.fails) > 100000 { // bound memory under a spray of addresses
		for k := range l.fails {
			delete(l.fails, k)
			break
		}
	}
}

// take records one event of key unless key is blocked, in one step, so
// concurrent requests cannot all pass the check before any is counted.
func (l *windowLimiter) take(key string, now time.Time) bool {
	if _, taken, ok := l.inStore(key, now, true); ok {
		return taken
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.prune(key, now)) >= l.max {
		return false
	}
	l.add(key, now)
	return true
}

// retryAfter is how long until key is no longer blocked (at least a second).
func (l *windowLimiter) retryAfter(key string, now time.Time) time.Duration {
	if hits, _, ok := l.inStore(key, now, false); ok {
		return l.wait(hits, now)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.wait(l.prune(key, now), now)
}

// wait is how long until fewer than max of ts (oldest first, all in the
// window) are left.
func (l *windowLimiter) wait(ts []time.Time, now time.Time) time.Duration {
	if len(ts) < l.max {
		return 0
	}
	d := ts[len(ts)-l.max].Add(l.window).Sub(now)
	return max(d.Round(time.Second), time.Second)
}

// errTooFast is the message of a command over the limit.
const errTooFast = "too many commands; slow down"

// sessionsPerHour is the default limit of sessions created per client
// address in an hour.
const sessionsPerHour = 30

// tokenBucket is one participant's command allowance.
type tokenBucket struct {
	tokens float64
	last   time.Time
}

// rateLimiter holds one token bucket per participant, shared by every
// transport (each WebSocket, the HTTP fallback), so opening more sockets
// buys no more commands. A bucket idle long enough to have refilled is
// the same as no bucket, so sweep drops those: the map holds only people
// who sent a command in the last burst/rate seconds, plus a hard cap.
type rateLimiter struct {
	mu          sync.Mutex
	rate, burst float64
	buckets     map[string]*tokenBucket
	lastSweep   time.Time
}

// maxBuckets bounds the limiter under a spray of participants: past it the
// refilled buckets go at once, and if that is not enough, any half goes
// (those people get a fresh burst, nothing worse).
const maxBuckets = 100000

func newRateLimiter(rate, burst float64) *rateLimiter {
	return &rateLimiter{rate: rate, burst: burst, buckets: map[string]*tokenBucket{}}
}

// refill is how long an empty bucket takes to be full again.
func (l *rateLimiter) refill() time.Duration {
	return time.Duration(l.burst / l.rate * float64(time.Second))
}

// allow takes one token from key's bucket at time now.
func (l *rateLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= l.refill() || len(l.buckets) >= maxBuckets {
		l.sweep(now)
	}
	b := l.buckets[key]
	if b == nil {
		b = &tokenBucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(l.burst, b.tokens+d.Seconds()*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep drops the buckets that have refilled by now.
func (l *rateLimiter) sweep(now time.Time) {
	l.lastSweep = now
	full := l.refill()
	for k, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < maxBuckets {
		return
	}
	for k := range l.buckets {
		if len(l.buckets) < maxBuckets/2 {
			break
		}
		delete(l.buckets, k)
	}
}

// size is the number of buckets held (tests of the eviction).
func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
