package clustertest

import (
	"testing"

	"rembuk/internal/testenv"
)

// postgres is a throwaway PostgreSQL for one test.
type postgres struct {
	dsn string
	// restartImmediate is `pg_ctl restart -m immediate`: a crash of the
	// database server, recovered from its WAL.
	restartImmediate func(t *testing.T)
}

// startPostgres starts PostgreSQL through internal/testenv (helper
// pgstore's postgres.go).
func startPostgres(t *testing.T) *postgres {
	t.Helper()
	testenv.Missing(t, "internal/testenv has no PostgreSQL starter yet")
	return nil
}
