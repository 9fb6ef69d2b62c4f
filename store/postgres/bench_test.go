package postgres

import (
	"context"
	"fmt"
	"testing"

	"rembuk/store/storetest"
)

// BenchmarkSuiteW2 is storetest's W2 shape on PostgreSQL (compare with
// store's BenchmarkSuiteW2 on SQLite): go test ./store/postgres -run '^$'
// -bench SuiteW2 -benchtime 1x.
func BenchmarkSuiteW2(b *testing.B) {
	for _, rate := range []int{250, 1000, 3000} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			db, err := Open(context.Background(), pg.Database(b), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			storetest.BenchW2(b, db, rate)
		})
	}
}

// BenchmarkSuiteLoad: opening a room whose log holds 2,000 notes (the whole
// log is replayed on PostgreSQL).
func BenchmarkSuiteLoad(b *testing.B) {
	db, err := Open(context.Background(), pg.Database(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchLoad(b, db, 2000)
}
