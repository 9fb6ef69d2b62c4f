package store

// Address hits (server.AddressLimits), as the PostgreSQL store keeps them:
// only nodes sharing this file (server tests of a cluster) use them; one
// node alone keeps its per-address limits in memory.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"time"
)

// HitAddress returns the hits of (kind, key) newer than at-window, oldest
// first; with take it first records one at at, unless max are there. The
// take runs as one job of the writer, so two nodes taking at once count
// one after the other.
func (db *DB) HitAddress(ctx context.Context, kind, key string, at time.Time, window time.Duration, max int, take bool) ([]time.Time, bool, error) {
	since := at.Add(-window).UnixMicro()
	if !take {
		hits, err := readHits(db.reader.QueryRowContext(ctx, `SELECT hits FROM address_hits WHERE kind = ? AND key = ?`, kind, key), since)
		return hits, false, err
	}
	var hits []time.Time
	var taken bool
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		hits, err = readHits(tx.QueryRow(`SELECT hits FROM address_hits WHERE kind = ? AND key = ?`, kind, key), since)
		if err != nil {
			return err
		}
		if taken = len(hits) < max; taken {
			hits = append(hits, time.UnixMicro(at.UnixMicro()).UTC())
			slices.SortFunc(hits, time.Time.Compare) // a node's clock may be behind another's
		}
		if len(hits) == 0 {
			return nil
		}
		us := make([]int64, len(hits))
		for i, h := range hits {
			us[i] = h.UnixMicro()
		}
		b, err := json.Marshal(us)
		if err != nil {
			return err
		}
		until := hits[len(hits)-1].Add(window).UnixMicro()
		if _, err := tx.Exec(`INSERT INTO address_hits (kind, key, hits, until) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, key) DO UPDATE SET hits = excluded.hits, until = max(until, excluded.until)`, kind, key, string(b), until); err != nil {
			return err
		}
		// Addresses that never come back leave rows behind: one take in
		// 64 deletes the rows whose newest hit has left its window.
		if rand.N(64) == 0 {
			_, err = tx.Exec(`DELETE FROM address_hits WHERE until <= ?`, at.UnixMicro())
		}
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return hits, taken, nil
}

// readHits reads a row's hits newer than since (microseconds).
func readHits(row *sql.Row, since int64) ([]time.Time, error) {
	var raw string
	if err := row.Scan(&raw); errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var us []int64
	if err := json.Unmarshal([]byte(raw), &us); err != nil {
		return nil, err
	}
	var hits []time.Time
	for _, u := range us {
		if u > since {
			hits = append(hits, time.UnixMicro(u).UTC())
		}
	}
	slices.SortFunc(hits, time.Time.Compare)
	return hits, nil
}
