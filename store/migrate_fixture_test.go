package store

// The migration of databases made before the event log became the only
// write of a change (0003_event_log.sql, issue 12). testdata/pre0003.db was
// written by the store as it was before that migration (schema 0001 only:
// entity rows, command_refs and sessions.seq written with every change),
// and testdata/pre0003.golden.json holds what that code loaded from it.
// Regenerate both only from a commit before 0003:
//
//	REMBUK_WRITE_FIXTURE=1 go test ./store -run TestWriteMigrationFixture

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

const (
	fixtureDB     = "testdata/pre0003.db"
	fixtureGolden = "testdata/pre0003.golden.json"
)

// fixtureSessions are the sessions of the fixture; "gone" was deleted.
var fixtureSessions = []string{"s1", "s2", "big", "empty", "gone"}

// dumpSession is everything a room gets from the store for a session, as
// JSON with sorted keys: the loaded state (with the token hashes, which
// the JSON of a participant leaves out), the idempotency keys, and the
// whole event log.
func dumpSession(tb testing.TB, db *DB, id string) json.RawMessage {
	tb.Helper()
	ctx := context.Background()
	st, refs, err := db.LoadState(ctx, id)
	if err == ErrNotFound {
		return json.RawMessage(`"not found"`)
	}
	if err != nil {
		tb.Fatalf("LoadState(%s): %v", id, err)
	}
	hashes := map[string]string{}
	for pid, p := range st.Participants {
		hashes[pid] = hex.EncodeToString(p.TokenHash)
	}
	keys := map[string]board.Ack{}
	for k, a := range refs {
		keys[fmt.Sprintf("%q", k)] = a
	}
	evs, err := db.EventsSince(ctx, id, 0, 1<<20)
	if err != nil {
		tb.Fatalf("EventsSince(%s): %v", id, err)
	}
	votes := map[string]int{}
	for pid := range st.Participants {
		votes[pid] = st.VotesUsed(pid)
	}
	b, err := json.Marshal(map[string]any{"state": st, "hashes": hashes, "refs": keys, "events": evs, "votesUsed": votes})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestWriteMigrationFixture(t *testing.T) {
	if os.Getenv("REMBUK_WRITE_FIXTURE") == "" {
		t.Skip("set REMBUK_WRITE_FIXTURE=1 to regenerate testdata/pre0003.* (only on a commit before 0003)")
	}
	path := filepath.Join(t.TempDir(), "fixture.db")
	db := MustOpenDBAt(t, path)
	storetest.Rich(t, db, "s1", "KODE01")
	storetest.Rich(t, db, "s2", "KODE02")
	big := storetest.Create(t, db, "big", "KODE03")
	big.Join("pa", "Ani", board.RoleParticipant)
	var ids []string
	for i := 0; i < 120; i++ {
		batch := []*board.Change{big.Decide("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp(fmt.Sprintf("catatan %d", i))})}
		if i%3 == 0 {
			batch = append(batch, big.Decide("fac", board.Command{Type: "note.add", ColumnID: "c2", Text: sp(fmt.Sprintf("akar %d", i))}))
		}
		big.Submit(batch...)
		ids = append(ids, batch[0].CreatedID)
	}
	for i, id := range ids[:20] {
		big.Do("pa", board.Command{Type: "note.update", ID: id, Text: sp(fmt.Sprintf("diubah %d", i))})
	}
	for _, id := range ids[20:30] {
		big.Do("pa", board.Command{Type: "note.delete", ID: id})
	}
	storetest.Create(t, db, "empty", "KODE04")
	storetest.Rich(t, db, "gone", "KODE05")
	if err := db.DeleteSession(context.Background(), "gone"); err != nil {
		t.Fatal(err)
	}
	golden := map[string]json.RawMessage{}
	for _, id := range fixtureSessions {
		golden[id] = dumpSession(t, db, id)
	}
	MustClose(t, db)
	writeFixture(t, path, fixtureDB, fixtureGolden, golden)
}

// TestMigrateFixture opens a copy of the database made by the code before
// 0003 with today's code (which migrates it) and checks that every session
// loads exactly as it loaded then, before and after the entity tables
// catch up with the log, and that it goes on from there.
func TestMigrateFixture(t *testing.T) {
	path, golden := openFixture(t, fixtureDB, fixtureGolden)
	db := MustOpenDBAt(t, path)
	check := func(when string) {
		t.Helper()
		for _, id := range fixtureSessions {
			got := dumpSession(t, db, id)
			var gotV, wantV any
			if err := json.Unmarshal(got, &gotV); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(golden[id], &wantV); err != nil {
				t.Fatal(err)
			}
			// Fields added to the board since the fixture was made are
			// allowed; every value the fixture held must load the same.
			if path, ok := contains(gotV, wantV, id); !ok {
				var want bytes.Buffer
				_ = json.Compact(&want, golden[id])
				t.Errorf("%s: session %s loads differently at %s\n got: %.2000s\nwant: %.2000s", when, id, path, got, want.Bytes())
			}
		}
	}
	check("after the migration")
	// A change after the migration continues the seq and is kept.
	st, refs, err := db.LoadState(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	s := storetest.Resume(t, db, st, t0.Add(time.Hour), "after-")
	if _, ok := refs[board.RefKey("pa", "ref-2")]; !ok {
		t.Fatalf("the migrated refs lost pa's ref-2: %v", refs)
	}
	ch := s.Do("fac", board.Command{Type: "note.add", Ref: "after", ColumnID: "c1", Text: sp("sesudah migrasi")})
	if ch.Event.Seq != st.Seq || ch.Event.Seq < 2 {
		t.Errorf("first seq after the migration = %d", ch.Event.Seq)
	}
	MustClose(t, db)
	db = MustOpenDBAt(t, path)
	st2, refs2, err := db.LoadState(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	if st2.Seq != ch.Event.Seq || st2.Notes["after-1"] == nil || refs2[board.RefKey("fac", "after")].Seq != ch.Event.Seq {
		t.Errorf("after reopening: seq %d, note %v, ref %+v", st2.Seq, st2.Notes["after-1"], refs2[board.RefKey("fac", "after")])
	}
}

// contains reports whether got holds everything want holds: equal scalars
// and arrays, and for objects every key of want (got may have more). It
// returns the path of the first difference.
func contains(got, want any, path string) (string, bool) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return path, false
		}
		for k, wv := range w {
			if p, ok := contains(g[k], wv, path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return path, false
		}
		for i := range w {
			if p, ok := contains(g[i], w[i], fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
		return "", true
	}
	return path, reflect.DeepEqual(got, want)
}
