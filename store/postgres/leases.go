package postgres

// Leases (server.Leases): which node owns a session's room. Expiry is on
// the database's clock (now()), never a node's. Taking a lease writes its
// epoch into sessions.owner_epoch in the same statement; Submit advances a
// session's seq only under that epoch (the fence).

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// acquireSQL takes the lease when it is free, expired or node's already
// (epoch + 1; the first epoch follows owner_epoch, so it grows even if a
// lease row were lost) and writes the epoch as the session's owner epoch.
const acquireSQL = `WITH l AS (
	INSERT INTO session_leases (session_id, node, epoch, until)
	SELECT id, $2, owner_epoch + 1, now() + $3::bigint * interval '1 millisecond' FROM sessions WHERE id = $1
	ON CONFLICT (session_id) DO UPDATE
		SET node = excluded.node, epoch = session_leases.epoch + 1, until = excluded.until
		WHERE session_leases.until < now() OR session_leases.node = excluded.node
	RETURNING epoch
)
UPDATE sessions SET owner_epoch = l.epoch FROM l WHERE sessions.id = $1 RETURNING l.epoch`

// AcquireLease takes the session's lease for node and returns its new
// epoch; when another node holds it, epoch 0 and that node. An unknown
// session is ErrNotFound.
func (db *DB) AcquireLease(ctx context.Context, sessionID, node string, ttl time.Duration) (epoch int64, owner string, err error) {
	err = db.pool.QueryRow(ctx, acquireSQL, sessionID, node, ttl.Milliseconds()).Scan(&epoch)
	if err == nil {
		return epoch, "", nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, "", err
	}
	err = db.pool.QueryRow(ctx, `SELECT node FROM session_leases WHERE session_id = $1`, sessionID).Scan(&owner)
	if err != nil {
		return 0, "", notFound(err, ErrNotFound)
	}
	return 0, owner, nil
}

// RenewLeases extends every unexpired lease of node by ttl, in one
// statement, and returns the sessions it still holds.
func (db *DB) RenewLeases(ctx context.Context, node string, ttl time.Duration) ([]string, error) {
	rows, err := db.pool.Query(ctx, `UPDATE session_leases SET until = now() + $2::bigint * interval '1 millisecond'
		WHERE node = $1 AND until >= now() RETURNING session_id`, node, ttl.Milliseconds())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// ReleaseLease gives the lease up (it expires now) if node still holds it
// at epoch. The epoch stays: the next owner's is higher.
func (db *DB) ReleaseLease(ctx context.Context, sessionID, node string, epoch int64) error {
	_, err := db.pool.Exec(ctx, `UPDATE session_leases SET until = '-infinity'
		WHERE session_id = $1 AND node = $2 AND epoch = $3`, sessionID, node, epoch)
	return err
}

// LeaseOwner names the node holding the session's unexpired lease ("" and
// 0 when none does).
func (db *DB) LeaseOwner(ctx context.Context, sessionID string) (node string, epoch int64, err error) {
	err = db.pool.QueryRow(ctx, `SELECT node, epoch FROM session_leases WHERE session_id = $1 AND until >= now()`, sessionID).Scan(&node, &epoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, nil
	}
	return node, epoch, err
}
