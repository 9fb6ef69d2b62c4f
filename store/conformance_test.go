package store_test

import (
	"fmt"
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

// BenchmarkSuiteW2 is storetest's W2 shape on a SQLite file (the same
// figures store/postgres reports on PostgreSQL): go test ./store -run '^$'
// -bench SuiteW2 -benchtime 1x.
func BenchmarkSuiteW2(b *testing.B) {
	for _, rate := range []int{250, 1000, 3000} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			db, err := store.Open(filepath.Join(b.TempDir(), "w2.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			storetest.BenchW2(b, db, rate)
		})
	}
}

// BenchmarkSuiteLoad: opening a room whose log holds 2,000 notes.
func BenchmarkSuiteLoad(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "load.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchLoad(b, db, 2000)
}
