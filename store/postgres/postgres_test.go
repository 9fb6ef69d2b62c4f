package postgres

import (
	"context"
	"fmt"
	"os"
	"testing"

	"rembuk/internal/testenv"
	"rembuk/store/storetest"
)

// pg is the package's one throwaway PostgreSQL 15; each test gets a fresh
// database on it.
var pg testenv.SharedPostgres

func TestMain(m *testing.M) {
	code := m.Run()
	if err := pg.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stop postgres:", err)
		code = 1
	}
	os.Exit(code)
}

// openDB opens the store on a fresh database and closes it when t ends.
func openDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), pg.Database(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// TestConformance runs the suite every store passes against PostgreSQL.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return openDB(t) })
}
