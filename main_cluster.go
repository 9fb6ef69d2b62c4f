package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"rembuk/natsbroker"
	"rembuk/server"
)

// clusterFlags are the flags of several nodes (docs/cluster.md).
type clusterFlags struct {
	broker string
	nodeID string
	ttl    time.Duration
}

func (f *clusterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.broker, "broker", env("REMBUK_BROKER", ""), "NATS servers between the nodes of a cluster, e.g. nats://a:4222,nats://b:4222; needs -db postgres://… (env REMBUK_BROKER)")
	fs.StringVar(&f.nodeID, "node-id", env("REMBUK_NODE_ID", ""), "this node's name in leases and broker subjects; default host:port (env REMBUK_NODE_ID)")
	ttl := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv("REMBUK_LEASE_TTL")); err == nil {
		ttl = d
	}
	fs.DurationVar(&f.ttl, "lease-ttl", ttl, "how long a node owns a session's room without renewing; renewed every TTL/4 (env REMBUK_LEASE_TTL)")
}

// isPostgresDSN tells a PostgreSQL URL from a SQLite file path.
func isPostgresDSN(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

var errBrokerNeedsPostgres = errors.New("-broker needs -db postgres://…: the nodes of a cluster share their log in PostgreSQL; " +
	"a SQLite file belongs to one machine (run one node without -broker, or see docs/cluster.md)")

// check refuses what cannot run, before anything is opened.
func (f *clusterFlags) check(dbArg string) error {
	if f.broker != "" && !isPostgresDSN(dbArg) {
		return errBrokerNeedsPostgres
	}
	if f.ttl < 400*time.Millisecond {
		return errors.New("-lease-ttl must be at least 400ms")
	}
	if strings.ContainsAny(f.nodeID, " .*>\t") {
		return errors.New("-node-id may not contain spaces, dots, * or >")
	}
	return nil
}

// setup returns the server's cluster part: none for SQLite without a
// broker (one machine, as always); leases for PostgreSQL (an accidental
// second node answers 503); leases and the broker for several nodes. The
// returned function closes the broker after the server stopped.
func (f *clusterFlags) setup(dbArg string, db any, addr string, log *slog.Logger) (server.ClusterConfig, func(), error) {
	none := func() {}
	if !isPostgresDSN(dbArg) {
		return server.ClusterConfig{}, none, nil
	}
	leases, ok := db.(server.Leases)
	if !ok {
		return server.ClusterConfig{}, none, errors.New("this store keeps no leases")
	}
	node := f.nodeID
	if node == "" {
		node = defaultNodeID(addr)
	}
	cfg := server.ClusterConfig{Leases: leases, NodeID: node, LeaseTTL: f.ttl}
	if f.broker == "" {
		return cfg, none, nil
	}
	b, err := natsbroker.Dial(f.broker, "rembuk "+node, log)
	if err != nil {
		return server.ClusterConfig{}, none, fmt.Errorf("connect to the broker: %w", err)
	}
	cfg.Broker = b
	log.Info("cluster node", "node", node, "lease_ttl", f.ttl.String())
	return cfg, b.Close, nil
}

// defaultNodeID is host:port of the listen address, the host being this
// machine's name when the address has none. Subjects take no dots: they
// become dashes.
func defaultNodeID(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = "", addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		if h, err := os.Hostname(); err == nil {
			host = h
		}
	}
	return strings.NewReplacer(".", "-", " ", "-").Replace(net.JoinHostPort(host, port))
}
