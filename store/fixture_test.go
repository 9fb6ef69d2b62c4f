package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The migration fixtures: a database file made by main before a migration
// and the golden dump of its sessions, both in testdata. A writer copied to
// a commit older than storetest.Rich finds the sessions it drives there as
// richSession and createSession (store/helpers_test.go).

// openFixture copies the fixture's database into a temporary folder (the
// test migrates the copy) and reads its golden dump.
func openFixture(t *testing.T, dbFile, goldenFile string) (path string, golden map[string]json.RawMessage) {
	t.Helper()
	raw, err := os.ReadFile(dbFile)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(gb, &golden); err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, golden
}

// writeFixture keeps the database at path (closed) as the fixture dbFile
// and golden as its dump (the tests that regenerate a fixture).
func writeFixture(t *testing.T, path, dbFile, goldenFile string, golden any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(golden)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dbFile, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goldenFile, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
