package server

import (
	"context"
	"time"

	"rembuk/board"
)

// Store is what the server needs of storage. SQLite implements it today
// (store.DB); a Postgres adapter would implement the same. Errors that a
// client may see are *board.Error (not_found, conflict, unavailable).
type Store interface {
	CreateSession(ctx context.Context, s board.Session, passcodeHash []byte, facilitator board.Participant, columns []board.Column) error
	SessionByCode(ctx context.Context, code string) (id string, passcodeHash []byte, err error)
	// SessionExists answers whether a session is stored, without loading
	// its room (an unknown session is 404 whatever the token).
	SessionExists(ctx context.Context, id string) (bool, error)
	LoadState(ctx context.Context, id string) (*board.State, map[string]board.Ack, error)
	// Submit stores a batch of changes in one commit and returns the seq
	// of the first; the others follow it consecutively. epoch is the
	// room's ownership epoch of the session (0 = one node, unfenced); a
	// store that fences refuses a stale epoch and stores nothing.
	Submit(ctx context.Context, sessionID string, epoch int64, changes []*board.Change) (first int64, err error)
	// Expect announces that the session's room is deciding changes it will
	// Submit shortly, so a commit about to be made may wait for them
	// (bounded) and share its fsync. Submit withdraws it.
	Expect(sessionID string)
	EventsSince(ctx context.Context, sessionID string, since int64, limit int) ([]board.Event, error)
	DeleteSession(ctx context.Context, id string) error
	Healthy(ctx context.Context) error
}

// Leases is what a store shared by several nodes adds: which node owns a
// session's room. The database's clock decides expiry. store.DB (SQLite)
// implements it too, so server tests can run several nodes in one process
// over one file; main refuses -broker without PostgreSQL.
type Leases interface {
	// AcquireLease takes the session's lease for node when it is free,
	// expired or already node's: one UPDATE (until < now() OR node = me),
	// epoch = epoch + 1, until = now() + ttl. It returns the new epoch; when
	// another node holds an unexpired lease it returns epoch 0 and that
	// node's id as owner (err nil).
	AcquireLease(ctx context.Context, sessionID, node string, ttl time.Duration) (epoch int64, owner string, err error)
	// RenewLeases extends every unexpired lease node holds, in one
	// statement, and returns the session ids it still holds.
	RenewLeases(ctx context.Context, node string, ttl time.Duration) (held []string, err error)
	// ReleaseLease gives a lease up (room closed when idle) if node still
	// holds it at epoch.
	ReleaseLease(ctx context.Context, sessionID, node string, epoch int64) error
	// LeaseOwner names the node holding an unexpired lease ("" when none).
	LeaseOwner(ctx context.Context, sessionID string) (node string, epoch int64, err error)
}
