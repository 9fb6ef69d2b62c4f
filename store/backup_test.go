package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"rembuk/store"
)

// BackupFile copies without touching the source: no migrations (a newer
// binary must not change the schema under a running older server), no
// temporary files left, and never over an existing file.
func TestBackupFileLeavesTheSourceAlone(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "live.db")
	db, err := store.Open(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	newFaultRoom(t, db, "s1").add(t)
	db.Close()
	// Pretend the live database is older: forget its migrations.
	raw, err := sql.Open("sqlite3", "file:"+src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before, _ := os.ReadFile(src)

	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o755)
	out := filepath.Join(outDir, "copy.db")
	if err := store.BackupFile(context.Background(), src, out); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(src); string(after) != string(before) {
		t.Fatalf("the backup changed the source database")
	}
	if ents, _ := os.ReadDir(outDir); len(ents) != 1 {
		t.Fatalf("out folder holds %d entries, want only the copy", len(ents))
	}
	cp, err := sql.Open("sqlite3", "file:"+out+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var res string
	var notes int
	cp.QueryRow(`PRAGMA integrity_check`).Scan(&res)
	cp.QueryRow(`SELECT count(*) FROM entities WHERE kind = 'note'`).Scan(&notes)
	if res != "ok" || notes != 1 {
		t.Fatalf("copy: integrity %q, %d notes", res, notes)
	}
	if err := store.BackupFile(context.Background(), src, out); err == nil {
		t.Fatalf("a second backup to the same file succeeded")
	}
	if err := store.BackupFile(context.Background(), filepath.Join(dir, "missing.db"), filepath.Join(dir, "m.db")); err == nil {
		t.Fatalf("backup of a missing database succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Fatalf("backup created the missing database")
	}
}
