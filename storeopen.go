package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"rembuk/server"
	"rembuk/store"
	"rembuk/store/postgres"
)

var (
	_ server.Store          = (*postgres.DB)(nil)
	_ server.Leases         = (*postgres.DB)(nil)
	_ server.PhotoStore     = (*postgres.DB)(nil)
	_ server.ProgrammeStore = (*postgres.DB)(nil)
	_ server.Leases         = (*store.DB)(nil)
)

// appStore is a store main can serve from and close.
type appStore interface {
	server.Store
	Close() error
}

// isPostgres reports whether -db names a PostgreSQL database (a
// postgres:// URL) rather than a SQLite file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openStore opens the store -db names: PostgreSQL for a postgres:// URL,
// else the SQLite file at that path.
func openStore(db string, log *slog.Logger) (appStore, error) {
	if isPostgres(db) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		pg, err := postgres.Open(ctx, db, log)
		if err != nil {
			return nil, fmt.Errorf("open database %s: %w", redactDB(db), err)
		}
		return pg, nil
	}
	sq, err := store.Open(db, log)
	if errors.Is(err, store.ErrCorrupt) {
		return nil, fmt.Errorf("%w\nrefusing to start on it. Stop here, keep a copy of the file, then restore the last backup "+
			"or recover what SQLite can still read (sqlite3 OLD.db .recover | sqlite3 NEW.db); see docs/operations.md, \"A damaged database\"", err)
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return sq, nil
}

// redactDB is -db as logs may show it: a URL without its password.
func redactDB(db string) string {
	if !isPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// errBackupPostgres is `rembuk backup` on PostgreSQL: the database's own
// tools make a consistent copy of a live database.
func errBackupPostgres(db string) error {
	return fmt.Errorf("backup: %s is a PostgreSQL database; rembuk backup copies SQLite files only.\n"+
		"Use PostgreSQL's own tools: pg_dump -Fc -f rembuk.dump '%s' (one consistent copy of the live database; "+
		"restore with pg_restore -d DATABASE rembuk.dump), or continuous archiving with a standby; see docs/cluster.md", redactDB(db), redactDB(db))
}
