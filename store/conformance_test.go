package store_test

import (
	"path/filepath"
	"testing"

	"rembuk/store"
	"rembuk/store/storetest"
)

// TestConformance runs the suite every store passes against SQLite files.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		db, err := store.Open(filepath.Join(t.TempDir(), "rembuk.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := db.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return db
	})
}
