// Package natsbroker is the server's Broker over core NATS: request/reply
// and plain publish, no JetStream (docs/cluster.md, "Nodes and broker").
package natsbroker

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// Broker is one connection to a NATS cluster.
type Broker struct {
	nc *nats.Conn
}

// Dial connects to the comma-separated NATS URLs (nats://a:4222,nats://b:4222)
// as name, and keeps reconnecting for ever: a node whose broker is away is
// a node whose forwards fail until it is back, not a node that stops.
func Dial(urls, name string, log *slog.Logger) (*Broker, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	nc, err := nats.Connect(strings.TrimSpace(urls),
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.RetryOnFailedConnect(false),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			log.Warn("broker disconnected", "err", err)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("broker reconnected", "url", nc.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			// A slow consumer drops messages; the per-link sequence
			// notices the gap and the connection resumes.
			subj := ""
			if sub != nil {
				subj = sub.Subject
			}
			log.Warn("broker error", "subject", subj, "err", err)
		}),
	)
	if err != nil {
		return nil, err
	}
	return &Broker{nc: nc}, nil
}

// noResponders wraps nats.ErrNoResponders so the server recognises it
// without importing NATS.
type noResponders struct{ err error }

func (e noResponders) Error() string      { return e.err.Error() }
func (e noResponders) Unwrap() error      { return e.err }
func (e noResponders) NoResponders() bool { return true }

// Request implements server.Broker.
func (b *Broker) Request(ctx context.Context, subject string, data []byte) ([]byte, error) {
	m, err := b.nc.RequestWithContext(ctx, subject, data)
	if errors.Is(err, nats.ErrNoResponders) {
		return nil, noResponders{err}
	}
	if err != nil {
		return nil, err
	}
	return m.Data, nil
}

// Publish implements server.Broker.
func (b *Broker) Publish(subject string, data []byte) error { return b.nc.Publish(subject, data) }

// Subscribe implements server.Broker. nats.go calls an asynchronous
// subscription's handler from one goroutine, in order, and gives each
// message a Data of its own (copied out of its read buffer), which the
// handler may keep.
func (b *Broker) Subscribe(subject string, h func(data []byte, reply func([]byte) error)) (func() error, error) {
	sub, err := b.nc.Subscribe(subject, func(m *nats.Msg) {
		h(m.Data, func(d []byte) error { return m.Respond(d) })
	})
	if err != nil {
		return nil, err
	}
	// Frames for one node may come in bursts (a welcome in chunks): the
	// default pending limits (64 MiB) hold a full board's welcome.
	return sub.Unsubscribe, nil
}

// MaxPayload implements server.Broker: the server's limit, learnt at
// connect (1 MiB by default).
func (b *Broker) MaxPayload() int { return int(b.nc.MaxPayload()) }

// Flush waits until the server has processed everything published so far.
func (b *Broker) Flush() error { return b.nc.Flush() }

// Close drains nothing: the rooms have already closed their clients.
func (b *Broker) Close() { b.nc.Close() }
