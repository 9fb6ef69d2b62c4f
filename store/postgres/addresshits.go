package postgres

// Address hits (server.AddressLimits): the per-address limits of every
// node in one table, so that failed joins, sessions created and rejoin
// asks count the same whichever node a client reaches.

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"
)

// takeHitSQL records a hit at $3 unless $6 hits newer than $4 (the window's
// start) are there already, dropping the hits that left the window, in one
// upsert: ON CONFLICT locks the row, so two nodes taking at once count one
// after the other. Every SET expression reads the row as it was.
const takeHitSQL = `INSERT INTO address_hits AS a (kind, key, hits, taken, until)
VALUES ($1, $2, ARRAY[$3::timestamptz], true, $5::timestamptz)
ON CONFLICT (kind, key) DO UPDATE SET
	hits = (SELECT CASE WHEN count(*) < $6 THEN coalesce(array_agg(h ORDER BY h), '{}'::timestamptz[]) || $3::timestamptz
	                    ELSE array_agg(h ORDER BY h) END
	        FROM unnest(a.hits) AS h WHERE h > $4),
	taken = (SELECT count(*) < $6 FROM unnest(a.hits) AS h WHERE h > $4),
	until = greatest(a.until, excluded.until)
RETURNING hits, taken`

// HitAddress returns the hits of (kind, key) newer than at-window, oldest
// first; with take it first records one at at, unless max are there.
func (db *DB) HitAddress(ctx context.Context, kind, key string, at time.Time, window time.Duration, max int, take bool) ([]time.Time, bool, error) {
	since := at.Add(-window)
	var hits []time.Time
	if !take {
		err := db.pool.QueryRow(ctx, `SELECT coalesce((SELECT array_agg(h ORDER BY h) FROM unnest(hits) AS h WHERE h > $3), '{}'::timestamptz[])
			FROM address_hits WHERE kind = $1 AND key = $2`, kind, key, since).Scan(&hits)
		if err != nil {
			return nil, false, notFound(err, nil)
		}
		return hits, false, nil
	}
	var taken bool
	if err := db.pool.QueryRow(ctx, takeHitSQL, kind, key, at, since, at.Add(window), int64(max)).Scan(&hits, &taken); err != nil {
		return nil, false, err
	}
	slices.SortFunc(hits, time.Time.Compare) // at is appended last; a node's clock may be behind another's
	// Addresses that never come back leave rows behind: one take in 64
	// deletes the rows whose newest hit has left its window.
	if rand.N(64) == 0 {
		if _, err := db.pool.Exec(ctx, `DELETE FROM address_hits WHERE until <= $1`, at); err != nil {
			db.log.Warn("pruning address hits", "err", err)
		}
	}
	return hits, taken, nil
}
