package server

import (
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// clientAddr is the address the failed-join limiter counts. Behind a
// trusted proxy it is the last X-Forwarded-For entry, the one that proxy
// added: entries before it come from the client (a proxy that appends,
// like nginx's $proxy_add_x_forwarded_for, passes them on) and would let
// a client pick a new address for every try. Fiber's c.IP() takes the
// first entry.
func (s *Server) clientAddr(c *fiber.Ctx) string {
	if len(s.cfg.TrustedProxies) > 0 && c.IsProxyTrusted() {
		h := c.Get(fiber.HeaderXForwardedFor)
		if i := strings.LastIndexByte(h, ','); i >= 0 {
			h = h[i+1:]
		}
		if h = strings.TrimSpace(h); h != "" {
			return strings.Clone(h)
		}
	}
	return c.Context().RemoteIP().String()
}

// failLimiter counts failures per key (a client address) in a sliding
// window: more than max in the window and the key is refused until it ages.
type failLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newFailLimiter(max int, window time.Duration) *failLimiter {
	return &failLimiter{max: max, window: window, fails: map[string][]time.Time{}}
}

func (l *failLimiter) prune(key string, now time.Time) []time.Time {
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

// blocked reports whether key has failed more than max times in the window.
func (l *failLimiter) blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(key, now)) >= l.max
}

// fail records a failure.
func (l *failLimiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.prune(key, now), now)
	if len(l.fails) > 100000 { // bound memory under a spray of addresses
		for k := range l.fails {
			delete(l.fails, k)
			break
		}
	}
}

// tokenBucket limits one connection's command rate.
type tokenBucket struct {
	rate, burst, tokens float64
	last                time.Time
}

func newTokenBucket(rate, burst float64) *tokenBucket {
	return &tokenBucket{rate: rate, burst: burst, tokens: burst}
}

func (b *tokenBucket) allow(now time.Time) bool {
	if !b.last.IsZero() {
		b.tokens += now.Sub(b.last).Seconds() * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
