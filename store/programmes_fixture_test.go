package store

// Databases made before programmes (0012_programmes.sql) open unchanged.
// testdata/pre0012.db was written by the code of main just before 0012
// was merged (e07bd27: every migration up to 0011_leases applied) and testdata/pre0012.golden.json
// holds what that code loaded from it. Regenerate both only from a commit
// before 0012 (copy this file there):
//
//	REMBUK_WRITE_FIXTURE12=1 go test ./store -run TestWriteProgrammeFixture

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"rembuk/board"
	"rembuk/store/storetest"
)

const (
	fixture12DB     = "testdata/pre0012.db"
	fixture12Golden = "testdata/pre0012.golden.json"
)

var fixture12Sessions = []string{"s1", "s2"}

func TestWriteProgrammeFixture(t *testing.T) {
	if os.Getenv("REMBUK_WRITE_FIXTURE12") == "" {
		t.Skip("set REMBUK_WRITE_FIXTURE12=1 to regenerate testdata/pre0012.* (only on a commit before 0012)")
	}
	path := filepath.Join(t.TempDir(), "fixture.db")
	db := MustOpenDBAt(t, path)
	storetest.Rich(t, db, "s1", "KODE01")
	s2 := storetest.Create(t, db, "s2", "KODE02")
	s2.Do("fac", board.Command{Type: "action.add", Text: sp("Sosialisasi"), Owner: sp("Ani"), Due: sp("2026-12-01")})
	a := s2.Do("fac", board.Command{Type: "action.add", Text: sp("Survei"), Owner: sp("Budi"), Due: sp("2026-12-20")})
	s2.Do("fac", board.Command{Type: "action.update", ID: a.CreatedID, Done: bp(true)})
	golden := map[string]json.RawMessage{}
	for _, id := range fixture12Sessions {
		golden[id] = dumpSession(t, db, id)
	}
	MustClose(t, db)
	writeFixture(t, path, fixture12DB, fixture12Golden, golden)
}

// schemaOf lists the database's tables and indexes with their SQL.
func schemaOf(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name, coalesce(sql, '') FROM sqlite_master`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, s string
		if err := rows.Scan(&n, &s); err != nil {
			t.Fatal(err)
		}
		out[n] = s
	}
	return out
}

// TestMigrateToProgrammes opens a copy of a database made by main before
// programmes: every table it had keeps its schema, every session loads as
// it loaded then, the programme tables are there and empty, and a session
// of it can join nothing but still lives on beside a new programme.
func TestMigrateToProgrammes(t *testing.T) {
	path, golden := openFixture(t, fixture12DB, fixture12Golden)
	before := schemaOf(t, path)
	if _, ok := before["programmes"]; ok {
		t.Fatal("the fixture already has programmes: it was not made before 0012")
	}
	db := MustOpenDBAt(t, path)
	names, err := db.Migrations(context.Background())
	if err != nil || !slices.Contains(names, "0012_programmes.sql") {
		t.Fatalf("migrations = %v (%v), want 0012_programmes.sql applied", names, err)
	}
	for _, id := range fixture12Sessions {
		got := dumpSession(t, db, id)
		var gotV, wantV any
		if err := json.Unmarshal(got, &gotV); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(golden[id], &wantV); err != nil {
			t.Fatal(err)
		}
		if p, ok := contains(gotV, wantV, id); !ok {
			var want bytes.Buffer
			_ = json.Compact(&want, golden[id])
			t.Errorf("session %s loads differently at %s\n got: %.1500s\nwant: %.1500s", id, p, got, want.Bytes())
		}
	}
	// Old actions read as belum, or selesai when done.
	st, _, err := db.LoadState(context.Background(), "s2")
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]int{}
	for _, a := range st.Actions {
		statuses[a.StatusOf()]++
	}
	if statuses[board.StatusBelum] != 1 || statuses[board.StatusSelesai] != 1 {
		t.Errorf("old actions' statuses = %v", statuses)
	}
	if id, err := db.SessionProgramme(context.Background(), "s1"); err != nil || id != "" {
		t.Errorf("an old session belongs to programme %q (%v)", id, err)
	}
	MustClose(t, db)
	after := schemaOf(t, path)
	// Existing columns stay as they were; other migrations (0011's
	// owner_epoch) may only add columns at the end.
	for name, sql := range before {
		if after[name] != sql && !strings.HasPrefix(after[name], strings.TrimSuffix(sql, ")")) {
			t.Errorf("table or index %s changed:\n got %s\nwant %s", name, after[name], sql)
		}
	}
	for _, name := range []string{"programmes", "programme_sessions"} {
		if after[name] == "" {
			t.Errorf("no table %s after the migration", name)
		}
	}
}
