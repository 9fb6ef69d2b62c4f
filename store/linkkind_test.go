package store

import (
	"context"
	"testing"

	"rembuk/board"
	"rembuk/store/storetest"
)

// TestMigrationLinkKinds: links stored before links had kinds become
// answers, in their rows and in the logged link.added; typed links keep
// their kind.
func TestMigrationLinkKinds(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/rembuk.db"
	db := MustOpenDBAt(t, path)
	s := storetest.Create(t, db, "s-link", "LINK01")
	p := s.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("masalah")}).CreatedID
	c := s.Do("fac", board.Command{Type: "note.add", ColumnID: "c2", Text: sp("sebab")}).CreatedID
	i := s.Do("fac", board.Command{Type: "note.add", ColumnID: "c3", Text: sp("inovasi")}).CreatedID
	old := s.Do("fac", board.Command{Type: "link.add", FromID: i, ToID: p}).CreatedID
	typed := s.Do("fac", board.Command{Type: "link.add", FromID: c, ToID: p, Kind: sp(board.LinkCause)}).CreatedID

	// Make the file what a database written before link kinds looks like:
	// the snapshots caught up with the log first, so that the log's copies
	// of the rows (events.puts, which came later) can go.
	db.catchUpNow()
	for _, q := range []string{
		`UPDATE events SET puts = NULL`,
		`UPDATE entities SET data = json_remove(data, '$.kind') WHERE kind = 'link' AND id = '` + old + `'`,
		`UPDATE events SET payload = json_remove(payload, '$.link.kind') WHERE type = 'link.added' AND json_extract(payload, '$.link.id') = '` + old + `'`,
		`DELETE FROM schema_migrations WHERE name = '0004_link_kind.sql'`,
	} {
		if _, err := db.writer.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rawKind := func(id string) (row, logged string) {
		t.Helper()
		var r, l *string
		if err := db.reader.QueryRow(`SELECT json_extract(data, '$.kind') FROM entities WHERE kind = 'link' AND id = ?`, id).Scan(&r); err != nil {
			t.Fatal(err)
		}
		if err := db.reader.QueryRow(`SELECT json_extract(payload, '$.link.kind') FROM events WHERE type = 'link.added' AND json_extract(payload, '$.link.id') = ?`, id).Scan(&l); err != nil {
			t.Fatal(err)
		}
		deref := func(p *string) string {
			if p == nil {
				return "<none>"
			}
			return *p
		}
		return deref(r), deref(l)
	}
	if r, l := rawKind(old); r != "<none>" || l != "<none>" {
		t.Fatalf("setup: kind not removed: %s %s", r, l)
	}
	MustClose(t, db)

	db = MustOpenDBAt(t, path)
	for id, want := range map[string]string{old: board.LinkAnswers, typed: board.LinkCause} {
		if r, l := rawKind(id); r != want || l != want {
			t.Errorf("link %s: stored kind %q, logged %q, want %q", id, r, l, want)
		}
	}
	st, _, err := db.LoadState(ctx, "s-link")
	if err != nil {
		t.Fatal(err)
	}
	if st.Links[old].Kind != board.LinkAnswers || st.Links[typed].Kind != board.LinkCause {
		t.Errorf("loaded kinds %q %q", st.Links[old].Kind, st.Links[typed].Kind)
	}
}
