package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

// t0 is the fixed clock of the store tests: storetest's, whose sessions
// they drive (storetest.Create, storetest.Rich).
var t0 = storetest.T0

// MustOpenDB opens a fresh database file in a temporary folder and closes
// it when the test ends.
func MustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	return MustOpenDBAt(tb, filepath.Join(tb.TempDir(), "data", "rembuk.db"))
}

// MustOpenDBAt opens the database at path and closes it when the test ends
// (Close is idempotent, so a test may close it earlier).
func MustOpenDBAt(tb testing.TB, path string) *DB {
	tb.Helper()
	return mustOpen(tb, path, catchUpEvery)
}

// MustOpenDBManual opens a fresh database whose snapshots catch up only
// when the test calls catchUpNow (or closes it).
func MustOpenDBManual(tb testing.TB) *DB {
	tb.Helper()
	return mustOpen(tb, filepath.Join(tb.TempDir(), "data", "rembuk.db"), time.Hour)
}

func mustOpen(tb testing.TB, path string, catchUp time.Duration) *DB {
	tb.Helper()
	db, err := open(path, nil, catchUp)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// MustClose closes db or fails.
func MustClose(tb testing.TB, db *DB) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
}

// submitErr is Submit for a test that wants only its error (from a
// goroutine, say).
func submitErr(db storetest.Store, sessionID string, changes ...*board.Change) error {
	_, err := db.Submit(context.Background(), sessionID, 0, changes)
	return err
}

func sp(s string) *string { return &s }
func bp(b bool) *bool     { return &b }

// count returns the rows of table for a session.
func count(tb testing.TB, db *DB, table, sessionID string) int {
	tb.Helper()
	col := "session_id"
	if table == "sessions" {
		col = "id"
	}
	var n int
	if err := db.reader.QueryRow(`SELECT count(*) FROM `+table+` WHERE `+col+` = ?`, sessionID).Scan(&n); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}

// seqs returns the seqs in the event log of a session, in order.
func seqs(tb testing.TB, db *DB, sessionID string) []int64 {
	tb.Helper()
	rows, err := db.reader.Query(`SELECT seq FROM events WHERE session_id = ? ORDER BY seq`, sessionID)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			tb.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// wantGapFree fails unless got is exactly 1..n.
func wantGapFree(tb testing.TB, what string, got []int64, n int) {
	tb.Helper()
	if len(got) != n {
		tb.Fatalf("%s: %d seqs, want %d", what, len(got), n)
	}
	for i, s := range got {
		if s != int64(i+1) {
			tb.Fatalf("%s: seq[%d] = %d, want %d (%v)", what, i, s, i+1, got)
		}
	}
}
