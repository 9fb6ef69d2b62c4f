package storetest

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"

	"rembuk/board"
)

// ProgrammeStore is the server's programme store; a Store that implements
// it has its programmes tested too.
type ProgrammeStore interface {
	CreateProgramme(ctx context.Context, p board.Programme, keyHash []byte) error
	Programme(ctx context.Context, id string) (board.Programme, []byte, error)
	SetProgrammeKey(ctx context.Context, id string, keyHash []byte) error
	CreateProgrammeSession(ctx context.Context, programmeID string, s board.Session, passcodeHash []byte, facilitator board.Participant, columns []board.Column, actions []board.Action) error
	ProgrammeSessions(ctx context.Context, id string) ([]string, error)
}

func testProgrammes(t *testing.T, st Store) {
	db, ok := st.(ProgrammeStore)
	if !ok {
		t.Skip("this store keeps no programmes")
	}
	ctx := context.Background()
	p := board.Programme{ID: "prog-1", Unit: "BP3KP Jawa I", Year: 2026, Target: board.TargetWBK,
		Kop: board.Kop{Instansi: "Kementerian PKP", Alamat: "Jl. Merdeka 1"}, Chair: board.Official{Name: "Dr. Ahmad", NIP: "1978"}, CreatedAt: T0}
	if err := db.CreateProgramme(ctx, p, []byte("key-1")); err != nil {
		t.Fatal(err)
	}
	got, hash, err := db.Programme(ctx, "prog-1")
	if err != nil || !bytes.Equal(hash, []byte("key-1")) || got.ID != p.ID || got.Kop != p.Kop || got.Chair != p.Chair || got.Year != 2026 ||
		!got.CreatedAt.Truncate(time.Microsecond).Equal(T0.Truncate(time.Microsecond)) {
		t.Fatalf("Programme = %+v %q %v, want %+v", got, hash, err, p)
	}
	if _, _, err := db.Programme(ctx, "nope"); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("unknown programme: %v, want not_found", err)
	}
	if err := db.SetProgrammeKey(ctx, "prog-1", []byte("key-2")); err != nil {
		t.Fatal(err)
	}
	if _, hash, _ := db.Programme(ctx, "prog-1"); !bytes.Equal(hash, []byte("key-2")) {
		t.Errorf("after rotation the hash is %q", hash)
	}
	if err := db.SetProgrammeKey(ctx, "nope", []byte("k")); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("rotating an unknown programme: %v, want not_found", err)
	}

	Create(t, st, "s1", "KODE01") // not in the programme
	mon := func(id, code string, at time.Time) (board.Session, board.Participant, []board.Column) {
		return board.Session{ID: id, Title: "Monitoring " + id, Template: board.TemplateMonitoring, Lang: "id", TimeZone: "WIB",
				JoinCode: code, Phase: board.PhaseBrainstorm, Settings: board.DefaultSettings(), CreatedAt: at},
			board.Participant{ID: "fac", Name: "Fasilitator", Role: board.RoleFacilitator, JoinedAt: at, TokenHash: []byte("h-" + id)},
			[]board.Column{{ID: id + "-c1", Title: board.Areas[0], Kind: board.KindOther, Position: 1}}
	}
	acts := []board.Action{{ID: "copy-1", Text: "Susun SOP", Owner: "Ani", Due: "2026-12-01", Area: board.Areas[1], Status: board.StatusProses,
		Progress: []board.ProgressNote{{ID: "pn", At: T0.Truncate(time.Microsecond), SessionID: "s1", Text: "draf"}},
		Origin:   &board.ActionOrigin{SessionID: "s1", ActionID: "a1", SessionTitle: "Rapat s1"}}}
	// Created at the same instant: the list keeps the order of creation.
	for i, id := range []string{"m-b", "m-a"} {
		sess, fac, cols := mon(id, "KODE0"+string(rune('2'+i)), T0)
		var a []board.Action
		if i == 0 {
			a = acts
		}
		if err := db.CreateProgrammeSession(ctx, "prog-1", sess, nil, fac, cols, a); err != nil {
			t.Fatal(err)
		}
	}
	loaded, _, err := st.LoadState(ctx, "m-b")
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded.Actions) != 1 || !reflect.DeepEqual(*loaded.Actions["copy-1"], acts[0]) || loaded.Seq != 0 {
		t.Fatalf("the monitoring session loads actions %+v (seq %d), want %+v", loaded.Actions, loaded.Seq, acts[0])
	}
	sess, fac, cols := mon("m-x", "KODE09", T0)
	if err := db.CreateProgrammeSession(ctx, "nope", sess, nil, fac, cols, nil); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("a session in an unknown programme: %v, want not_found", err)
	}
	if ok, _ := st.SessionExists(ctx, "m-x"); ok {
		t.Error("a session of an unknown programme was stored")
	}
	sess.JoinCode = "KODE01"
	if err := db.CreateProgrammeSession(ctx, "prog-1", sess, nil, fac, cols, nil); board.ErrorCode(err) != board.CodeConflict {
		t.Errorf("a taken join code: %v, want conflict", err)
	}
	if ok, _ := st.SessionExists(ctx, "m-x"); ok {
		t.Error("a session refused for its join code was stored")
	}
	ids, err := db.ProgrammeSessions(ctx, "prog-1")
	if err != nil || !reflect.DeepEqual(ids, []string{"m-b", "m-a"}) {
		t.Errorf("ProgrammeSessions = %v %v, want [m-b m-a]", ids, err)
	}
	if err := st.DeleteSession(ctx, "m-b"); err != nil {
		t.Fatal(err)
	}
	if ids, _ := db.ProgrammeSessions(ctx, "prog-1"); !reflect.DeepEqual(ids, []string{"m-a"}) {
		t.Errorf("after deleting m-b: %v, want [m-a]", ids)
	}
}
