package server

import (
	"context"
)

// Broker is what several nodes need between them: request/reply to the node
// that owns a session, and publishing to one node. natsbroker implements it
// over core NATS. A nil Broker is one node: every room is local, exactly as
// without a cluster (docs/cluster.md, "Nodes and broker").
type Broker interface {
	// Request sends data to subject and waits for one reply, until ctx
	// ends. When nobody subscribes to subject, the error satisfies
	// NoResponders (errors.As) at once, without waiting.
	Request(ctx context.Context, subject string, data []byte) ([]byte, error)
	// Publish sends data to subject without waiting. Messages of one
	// Broker to one subject arrive in the order they were published.
	Publish(subject string, data []byte) error
	// Subscribe calls h for each message on subject, one message at a
	// time in arrival order. reply answers a request (it fails for a
	// plain publish). data is h's to keep: the node hands a frame
	// message to another goroutine. The returned function ends the
	// subscription.
	Subscribe(subject string, h func(data []byte, reply func([]byte) error)) (unsubscribe func() error, err error)
	// MaxPayload is the largest message the broker carries.
	MaxPayload() int
}

// NoResponders is satisfied by a Request error when nobody listened.
type NoResponders interface {
	NoResponders() bool
}
