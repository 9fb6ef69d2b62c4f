package testenv

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

var shared SharedPostgres

func TestMain(m *testing.M) {
	code := m.Run()
	RemoveBinary()
	if err := shared.Stop(); err != nil {
		println("stop postgres:", err.Error())
		code = 1
	}
	os.Exit(code)
}

// TestPostgresDatabases: each test gets its own empty database on the one
// server, and the server comes back after an immediate (crash) restart
// with what was committed.
func TestPostgresDatabases(t *testing.T) {
	ctx := context.Background()
	pg := shared.Get(t)
	a, b := pg.CreateDatabase(t), pg.CreateDatabase(t)
	if a == b {
		t.Fatalf("two databases share the URL %s", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Exec(ctx, `CREATE TABLE x (n int); INSERT INTO x VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	ca.Close(ctx)
	if err := pg.Restart("immediate"); err != nil {
		t.Fatal(err)
	}
	ca, err = pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	var n int
	if err := ca.QueryRow(ctx, `SELECT n FROM x`).Scan(&n); err != nil || n != 7 {
		t.Fatalf("after restart: %d %v, want 7", n, err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	if err := cb.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'x'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("database b sees table x: %d %v", n, err)
	}
}
