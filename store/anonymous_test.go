package store

import (
	"context"
	"testing"

	"rembuk/board"
	"rembuk/store/storetest"
)

// TestMigrationStampsAnonymousNotes: notes stored before notes carried the
// anonymity stamp count as anonymous when their session is anonymous at
// the upgrade (its notes and their logged copies), and not otherwise.
func TestMigrationStampsAnonymousNotes(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/rembuk.db"
	db := MustOpenDBAt(t, path)
	anon := storetest.Create(t, db, "s-anon", "ANON01")
	anon.Join("pa", "Ani", board.RoleParticipant)
	anon.Do("fac", board.Command{Type: "settings.update", Anonymous: bp(true)})
	n := anon.Do("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("anonim")}).CreatedID
	gone := anon.Do("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("dihapus")}).CreatedID
	anon.Do("pa", board.Command{Type: "note.delete", ID: gone})
	open := storetest.Create(t, db, "s-open", "OPEN01")
	open.Join("pb", "Budi", board.RoleParticipant)
	o := open.Do("pb", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("terbuka")}).CreatedID

	// Make the file what a database written before the stamp looks like:
	// the snapshots caught up with the log first, so that the log's copies
	// of the rows (events.puts, which came later) can go.
	db.catchUpNow()
	for _, q := range []string{
		`UPDATE events SET puts = NULL`,
		`UPDATE entities SET data = json_remove(data, '$.anonymous') WHERE kind = 'note'`,
		`UPDATE events SET payload = json_remove(payload, '$.note.anonymous', '$.anonymous')`,
		`DELETE FROM schema_migrations WHERE name = '0002_note_anonymous.sql'`,
	} {
		if _, err := db.writer.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if st, _, _ := db.LoadState(ctx, "s-anon"); st.Notes[n].Anonymous {
		t.Fatal("setup: the stamp was not removed")
	}
	MustClose(t, db)

	db = MustOpenDBAt(t, path)
	st, _, err := db.LoadState(ctx, "s-anon")
	if err != nil {
		t.Fatal(err)
	}
	if !st.Notes[n].Anonymous {
		t.Errorf("a note of an anonymous session is not stamped after the migration")
	}
	evs, err := db.EventsSince(ctx, "s-anon", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	stamped := 0
	for _, ev := range evs {
		switch d := ev.Data.(type) {
		case board.NoteData:
			if !d.Note.Anonymous {
				t.Errorf("logged %s of note %s is not stamped", ev.Name, d.Note.ID)
			}
			stamped++
		case board.IDData:
			if ev.Name == "note.deleted" {
				if !d.Anonymous {
					t.Errorf("logged note.deleted of %s is not stamped", d.ID)
				}
				stamped++
			}
		}
	}
	if stamped != 3 {
		t.Errorf("%d logged note events, want 3", stamped)
	}
	ost, _, err := db.LoadState(ctx, "s-open")
	if err != nil {
		t.Fatal(err)
	}
	if ost.Notes[o].Anonymous {
		t.Errorf("a note of a session that is not anonymous was stamped")
	}
}
