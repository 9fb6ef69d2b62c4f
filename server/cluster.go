package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"rembuk/board"
)

// ClusterConfig makes the server one node of several (docs/cluster.md).
// Without Leases the server is alone, as it always was.
type ClusterConfig struct {
	// Leases decides which node owns a session's room. With Leases and no
	// Broker the server is one node that still takes leases: a session
	// another node holds answers unavailable (503).
	Leases Leases
	// Broker carries requests and frames between nodes (nil: none).
	Broker Broker
	// NodeID names this node in leases and subjects.
	NodeID string
	// LeaseTTL is how long a lease lasts unrenewed (default 10 s); each
	// node renews its leases every LeaseTTL/4.
	LeaseTTL time.Duration
	// Heartbeat is how often a node tells an owner it still holds its
	// connections (default 2 s); an owner drops a node's connections
	// after three missed ones.
	Heartbeat time.Duration
	// Retry is how often a node tries to take a silent owner's lease
	// (default 500 ms).
	Retry time.Duration
	// ResendFor is how long a forwarded command is resent to a new owner
	// before it is answered unavailable (default 15 s).
	ResendFor time.Duration
	// RequestTimeout bounds one request to an owner (default 2 s); one
	// that times out counts as a silent owner. A command's request ends
	// when the owner's room has it queued, not stored, so it is short.
	RequestTimeout time.Duration
	// LinkQueue bounds the bytes an owner's room has handed to one node's
	// link and the broker has not taken yet (default 64 MiB; see
	// maxLinkQueue).
	LinkQueue int
}

func (c *ClusterConfig) defaults() {
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 10 * time.Second
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = 2 * time.Second
	}
	if c.Retry <= 0 {
		c.Retry = 500 * time.Millisecond
	}
	if c.ResendFor <= 0 {
		c.ResendFor = 15 * time.Second
	}
	if c.LinkQueue <= 0 {
		c.LinkQueue = maxLinkQueue
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 2 * time.Second
	}
}

// missedBeats is how many heartbeats an owner waits before it drops a
// node's connections (presence turns offline): the third missed one is
// half a beat late, 5 s after the last beat by default, so a dead node's
// people are offline within 6 s.
const missedBeats = 3

// cluster is the server's part in several nodes: leases for the rooms it
// owns (cluster_owner.go) and proxies for the sessions others own that it
// holds sockets for (cluster_thin.go).
type cluster struct {
	srv *Server
	cfg ClusterConfig
	log *slog.Logger

	mu      sync.Mutex
	owned   map[string]*ownership // sessions whose lease this node holds
	proxies map[string]*proxy     // sessions owned elsewhere, by id
	conns   map[*client]*proxy    // local connections attached through a proxy
	closing bool

	inc      uint64 // this run of the node: links and rids are per run
	key      string // marks requests this node forwards to its own handlers (cluster_http.go)
	handler  fasthttp.RequestHandler
	nextRID  atomic.Uint64
	unsubMe  func() error
	stop     chan struct{}
	wg       sync.WaitGroup
	lastOK   atomic.Int64 // unix nanos of the last successful renewal
	frozen   atomic.Bool  // tests: a node that stopped answering (SIGSTOP)
	renewing sync.Mutex
	in       inboxes // what the sessions' inboxes hold (cluster_inbox.go)
	inboxMax int     // bytes the inboxes may hold together (maxInbox; tests make it small)
}

func newCluster(srv *Server, cfg ClusterConfig) *cluster {
	cfg.defaults()
	return &cluster{srv: srv, cfg: cfg, log: srv.log.With("node", cfg.NodeID),
		owned: map[string]*ownership{}, proxies: map[string]*proxy{}, conns: map[*client]*proxy{},
		stop: make(chan struct{}), inc: newLinkID(), key: newForwardKey(), inboxMax: maxInbox}
}

// start subscribes to this node's frames and starts renewing leases.
func (c *cluster) start() error {
	c.lastOK.Store(c.srv.now().UnixNano())
	c.handler = c.srv.app.Handler() // the routes are in place: requests forwarded here run through them
	if b := c.cfg.Broker; b != nil {
		unsub, err := b.Subscribe(nodeSubject(c.cfg.NodeID), func(d []byte, _ func([]byte) error) { c.onLink(d) })
		if err != nil {
			return fmt.Errorf("subscribe to this node's frames: %w", err)
		}
		c.unsubMe = unsub
	}
	c.wg.Add(2)
	go c.renewLoop()
	go c.beatLoop()
	return nil
}

func cmdSubject(session string) string { return "rembuk.cmd." + session }
func nodeSubject(node string) string   { return "rembuk.node." + node }

// notOwnerError is a room's load error when another node holds the lease.
type notOwnerError struct{ owner string }

func (e *notOwnerError) Error() string { return "the session is owned by node " + e.owner }

// Unwrap makes it, for a client, the unavailable it is (try again: the
// request is forwarded or the lease changes hands), not an internal error
// logged at every failover.
func (e *notOwnerError) Unwrap() error { return errElsewhere }

func isNotOwner(err error) bool {
	var no *notOwnerError
	return errors.As(err, &no)
}

var errElsewhere = board.Errorf(board.CodeUnavailable, "this session is served by another node; try again")

// send routes a message for a session's room: to the local room when this
// node owns the session (or can take its lease), else to its owner.
func (c *cluster) send(ctx context.Context, id string, m any) error {
	if d, ok := m.(detachMsg); ok && c.proxyFor(id, d) == nil && !c.srv.hub.loaded(id) {
		return nil // attached nowhere now (its proxy closed it, or its room stopped)
	}
	for round := 0; ; round++ {
		if round > 2 {
			// Routed again and again (the owner is changing hands): not
			// in a tight loop.
			t := time.NewTimer(c.cfg.Retry / 5)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		}
		if p := c.proxyFor(id, m); p != nil {
			err := p.send(ctx, m)
			if !errors.Is(err, errReroute) {
				return err
			}
		} else {
			err := c.srv.hub.sendLocal(ctx, id, m)
			if !isNotOwner(err) {
				return err
			}
			if c.cfg.Broker == nil {
				return errElsewhere
			}
		}
		if ctx.Err() != nil {
			return board.Errorf(board.CodeUnavailable, "the session did not answer in time")
		}
	}
}

// proxyFor returns the proxy a message goes through, nil for the local
// room. A connection's messages follow the connection.
func (c *cluster) proxyFor(id string, m any) *proxy {
	if !routable(m) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch m := m.(type) {
	case commandMsg:
		if m.cl != nil {
			return c.conns[m.cl]
		}
	case detachMsg:
		return c.conns[m.cl]
	}
	return c.proxies[id]
}

// acquire takes the session's lease for a room about to load. When
// another node holds it, the session gets a proxy to that node and the
// error says so.
func (c *cluster) acquire(r *room) (*ownership, error) {
	// Not while renewing: a lease taken but not yet in owned would look
	// orphaned to the renewal, which gives orphans back.
	c.renewing.Lock()
	defer c.renewing.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.RequestTimeout)
	defer cancel()
	epoch, owner, err := c.cfg.Leases.AcquireLease(ctx, r.id, c.cfg.NodeID, c.cfg.LeaseTTL)
	if board.ErrorCode(err) == board.CodeNotFound {
		return nil, err
	}
	if err != nil {
		c.log.Error("taking a lease", "session", r.id, "err", err)
		return nil, board.Errorf(board.CodeUnavailable, "the session's owner could not be decided; try again")
	}
	if epoch == 0 {
		if c.cfg.Broker != nil {
			c.proxyTo(r.id, owner)
		}
		return nil, &notOwnerError{owner: owner}
	}
	o := &ownership{c: c, r: r, id: r.id, epoch: epoch, links: map[peer]*link{}}
	c.mu.Lock()
	c.owned[r.id] = o
	c.mu.Unlock()
	return o, nil
}

// renewLoop renews every lease of this node every TTL/4. A room whose
// lease is gone, or every room when renewing failed for a whole TTL, stops
// and closes its clients with 1013: another node may own it now.
func (c *cluster) renewLoop() {
	defer c.wg.Done()
	t := time.NewTicker(c.cfg.LeaseTTL / 4)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		if c.frozen.Load() {
			continue
		}
		c.renew()
	}
}

func (c *cluster) renew() {
	c.renewing.Lock()
	defer c.renewing.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.LeaseTTL/4)
	held, err := c.cfg.Leases.RenewLeases(ctx, c.cfg.NodeID, c.cfg.LeaseTTL)
	cancel()
	now := c.srv.now()
	if err != nil {
		if now.Sub(time.Unix(0, c.lastOK.Load())) < c.cfg.LeaseTTL {
			c.log.Warn("renewing leases failed", "err", err)
			return
		}
		c.log.Error("leases not renewed within their TTL: stopping this node's rooms", "err", err)
		held = nil
	} else {
		c.lastOK.Store(now.UnixNano())
	}
	keep := make(map[string]bool, len(held))
	for _, id := range held {
		keep[id] = true
	}
	c.mu.Lock()
	var lost []*ownership
	for id, o := range c.owned {
		if !keep[id] {
			lost = append(lost, o)
		}
	}
	var orphans []string
	for _, id := range held {
		if c.owned[id] == nil {
			orphans = append(orphans, id)
		}
	}
	c.mu.Unlock()
	for _, o := range lost {
		c.log.Warn("lease lost: stopping the room", "session", o.id, "epoch", o.epoch)
		o.fence()
	}
	for _, id := range orphans {
		c.releaseOrphan(id)
	}
}

// releaseOrphan gives back a lease this node holds for a room it no
// longer has (its room stopped while the database was away, so the
// release then failed): renewing it would keep every other node from
// taking the session, and nobody would serve it.
func (c *cluster) releaseOrphan(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.LeaseTTL/4)
	defer cancel()
	node, epoch, err := c.cfg.Leases.LeaseOwner(ctx, id)
	if err != nil || node != c.cfg.NodeID {
		return
	}
	if err := c.cfg.Leases.ReleaseLease(ctx, id, c.cfg.NodeID, epoch); err != nil {
		c.log.Warn("releasing an orphaned lease", "session", id, "err", err)
		return
	}
	c.log.Info("released the lease of a room no longer loaded", "session", id)
}

// beatLoop tells owners this node still holds its connections, expires
// forwarded commands nobody answered, and drops the connections of nodes
// that stopped beating.
func (c *cluster) beatLoop() {
	defer c.wg.Done()
	// The owner looks for silent nodes four times a beat, so a dead
	// node's people go offline soon after its third missed beat.
	t := time.NewTicker(c.cfg.Heartbeat / 4)
	defer t.Stop()
	for tick := 0; ; tick++ {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		if c.frozen.Load() {
			continue
		}
		beat := tick%4 == 0
		c.mu.Lock()
		ps := make([]*proxy, 0, len(c.proxies))
		for _, p := range c.proxies {
			ps = append(ps, p)
		}
		os := make([]*ownership, 0, len(c.owned))
		for _, o := range c.owned {
			os = append(os, o)
		}
		c.mu.Unlock()
		for _, p := range ps {
			if !beat {
				break
			}
			// Each apart: an owner that stopped answering holds its
			// beat for RequestTimeout, not everyone else's.
			if p.beating.CompareAndSwap(false, true) {
				c.wg.Add(1)
				go func() {
					defer c.wg.Done()
					defer p.beating.Store(false)
					p.beat()
				}()
			}
		}
		for _, o := range os {
			o.dropSilent(c.srv.now())
		}
	}
}

// shutdown ends the node's part: the rooms have already stopped (and
// released their leases); connections held for other owners close with
// 1001 and are detached there.
func (c *cluster) shutdown() {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	c.closing = true
	ps := make([]*proxy, 0, len(c.proxies))
	for _, p := range c.proxies {
		ps = append(ps, p)
	}
	c.mu.Unlock()
	close(c.stop)
	for _, p := range ps {
		p.close()
	}
	if c.unsubMe != nil {
		c.unsubMe()
	}
	c.wg.Wait()
}

// newLinkID names a new link (an owner's room to one node).
func newLinkID() uint64 {
	for {
		if v := rand.Uint64(); v != 0 {
			return v
		}
	}
}

// safe is safeError as a function of one error (for responses).
func (c *cluster) safe(err error) (string, string) { return safeError(c.log, err) }
