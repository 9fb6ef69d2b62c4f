package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// BackupFile writes a consistent copy of the database at path to out, while
// a server may be writing to it. Unlike Open it opens the file read-only
// and runs no migrations, so a newer binary never changes the schema under
// a running older server. The copy is written under a temporary name
// beside out (VACUUM INTO, synced) and linked to out only when complete;
// an existing out is refused and left alone.
func BackupFile(ctx context.Context, path, out string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("backup: %s already exists", out)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "FULL") // VACUUM INTO syncs its output at this level
	src, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	os.Remove(tmpName) // VACUUM INTO wants to create the file itself
	defer os.Remove(tmpName)
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// Link fails if out appeared meanwhile: never overwrite.
	if err := os.Link(tmpName, out); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("backup: %s already exists", out)
		}
		return fmt.Errorf("backup: %w", err)
	}
	if d, err := os.Open(filepath.Dir(out)); err == nil {
		d.Sync() // the new name survives a power cut
		d.Close()
	}
	return nil
}
