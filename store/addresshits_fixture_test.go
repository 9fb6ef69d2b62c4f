package store

// Databases made before the shared address limits (0013_address_hits.sql)
// open unchanged. testdata/pre0013.db was written by the code of main just
// before 0013 (90a7692: every migration up to 0012_programmes applied) and
// testdata/pre0013.golden.json holds what that code loaded from it.
// Regenerate both only from a commit before 0013 (copy this file there):
//
//	REMBUK_WRITE_FIXTURE13=1 go test ./store -run TestWriteAddressHitsFixture

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

const (
	fixture13DB     = "testdata/pre0013.db"
	fixture13Golden = "testdata/pre0013.golden.json"
)

var fixture13Sessions = []string{"s1", "s2"}

func TestWriteAddressHitsFixture(t *testing.T) {
	if os.Getenv("REMBUK_WRITE_FIXTURE13") == "" {
		t.Skip("set REMBUK_WRITE_FIXTURE13=1 to regenerate testdata/pre0013.* (only on a commit before 0013)")
	}
	path := filepath.Join(t.TempDir(), "fixture.db")
	db := MustOpenDBAt(t, path)
	storetest.Rich(t, db, "s1", "KODE01")
	s2 := storetest.Create(t, db, "s2", "KODE02")
	s2.Do("fac", board.Command{Type: "action.add", Text: sp("Sosialisasi"), Owner: sp("Ani"), Due: sp("2026-12-01")})
	golden := map[string]json.RawMessage{}
	for _, id := range fixture13Sessions {
		golden[id] = dumpSession(t, db, id)
	}
	MustClose(t, db)
	writeFixture(t, path, fixture13DB, fixture13Golden, golden)
}

// TestMigrateToAddressHits opens a copy of a database made by main before
// 0013: every table it had keeps its schema, every session loads as it
// loaded then, and address hits can be taken at once.
func TestMigrateToAddressHits(t *testing.T) {
	path, golden := openFixture(t, fixture13DB, fixture13Golden)
	before := schemaOf(t, path)
	if _, ok := before["address_hits"]; ok {
		t.Fatal("the fixture already has address_hits: it was not made before 0013")
	}
	if _, ok := before["programmes"]; !ok {
		t.Fatal("the fixture has no programmes: it was not made just before 0013")
	}
	db := MustOpenDBAt(t, path)
	names, err := db.Migrations(context.Background())
	if err != nil || !slices.Contains(names, "0013_address_hits.sql") {
		t.Fatalf("migrations = %v (%v), want 0013_address_hits.sql applied", names, err)
	}
	for _, id := range fixture13Sessions {
		got := dumpSession(t, db, id)
		var gotV, wantV any
		if err := json.Unmarshal(got, &gotV); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(golden[id], &wantV); err != nil {
			t.Fatal(err)
		}
		if p, ok := contains(gotV, wantV, id); !ok {
			t.Errorf("session %s loads differently at %s", id, p)
		}
	}
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	if hits, taken, err := db.HitAddress(context.Background(), "joins", "10.0.0.1", at, time.Minute, 10, true); err != nil || !taken || len(hits) != 1 {
		t.Fatalf("HitAddress on the migrated file = %v %v %v, want one hit taken", hits, taken, err)
	}
	MustClose(t, db)
	after := schemaOf(t, path)
	for name, sql := range before {
		if after[name] != sql {
			t.Errorf("%s changed:\n%s\nnow:\n%s", name, sql, after[name])
		}
	}
}
