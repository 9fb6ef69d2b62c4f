package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store"
)

// faultRoom drives one session through the store as a room does.
type faultRoom struct {
	db    *store.DB
	st    *board.State
	n     int
	short bool // notes of ~50 characters instead of ~1,000
}

func newFaultRoom(tb testing.TB, db *store.DB, id string) *faultRoom {
	tb.Helper()
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	sess := board.Session{ID: id, Title: "Rapat", Template: "kosong", Lang: "id", JoinCode: "K" + id,
		Phase: board.PhaseBrainstorm, Settings: board.DefaultSettings(), CreatedAt: t0}
	fac := board.Participant{ID: "fac", Name: "Fasilitator", Role: board.RoleFacilitator, JoinedAt: t0, TokenHash: []byte("h")}
	if err := db.CreateSession(context.Background(), sess, nil, fac, []board.Column{{ID: "col", Title: "Catatan", Kind: board.KindOther, Position: 1}}); err != nil {
		tb.Fatal(err)
	}
	st, _, err := db.LoadState(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return &faultRoom{db: db, st: st}
}

// add decides and submits one note of ~1,000 characters (or a short one);
// it commits the seq only when the store says the change is on disk.
func (r *faultRoom) add(tb testing.TB) error {
	r.n++
	text := fmt.Sprintf("%05d %s", r.n, strings.Repeat("penuh ", 160))
	if r.short {
		text = fmt.Sprintf("Antrean loket pelayanan terlalu panjang (%d)", r.n)
	}
	ch, err := r.st.Execute("fac", board.Command{Type: "note.add", Ref: fmt.Sprint("r", r.n), ColumnID: "col", Text: &text},
		time.Now(), func() string { return fmt.Sprintf("note-%05d", r.n) })
	if err != nil {
		tb.Fatal(err)
	}
	seq, err := r.db.Submit(context.Background(), r.st.Session.ID, 0, []*board.Change{ch})
	if err != nil {
		return err
	}
	r.st.Commit(seq)
	return nil
}
