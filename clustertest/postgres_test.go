package clustertest

import (
	"testing"

	"rembuk/internal/testenv"
)

// pgServer is the package's PostgreSQL server (each test its own
// database); TestMain stops it.
var pgServer testenv.SharedPostgres

// postgres is one test's database on the package's server.
type postgres struct {
	dsn string
	srv *testenv.Postgres
}

// startPostgres gives the test a fresh database on the package's server.
func startPostgres(t *testing.T) *postgres {
	t.Helper()
	srv := pgServer.Get(t)
	return &postgres{dsn: srv.CreateDatabase(t), srv: srv}
}

// restartImmediate is `pg_ctl restart -m immediate`: a crash of the
// database server, recovered from its WAL, on the same port.
func (p *postgres) restartImmediate(t *testing.T) {
	t.Helper()
	if err := p.srv.Restart("immediate"); err != nil {
		t.Fatal(err)
	}
}
