package storetest

import (
	"bytes"
	"context"
	"reflect"
	"slices"
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
	SessionProgramme(ctx context.Context, sessionID string) (string, error)
}

func monitoringSession(id, code string, at time.Time) (board.Session, board.Participant, []board.Column) {
	sess := board.Session{ID: id, Title: "Monitoring " + id, Template: board.TemplateMonitoring, Lang: "id", TimeZone: "WIB",
		JoinCode: code, Phase: board.PhaseBrainstorm, Settings: board.DefaultSettings(), CreatedAt: at}
	fac := board.Participant{ID: "fac", Name: "Fasilitator", Role: board.RoleFacilitator, JoinedAt: T0, TokenHash: []byte("h")}
	return sess, fac, []board.Column{{ID: id + "-c1", Title: board.Areas[0], Kind: board.KindOther, Position: 1}}
}

func testProgrammes(t *testing.T, st Store) {
	db, ok := st.(ProgrammeStore)
	if !ok {
		t.Skip("this store keeps no programmes")
	}
	ctx := context.Background()
	p := board.Programme{ID: "prog-1", Unit: "BP3KP Jawa I", Year: 2026, Target: board.TargetWBK,
		Kop:   board.Kop{Instansi: "Kementerian PKP", Unit: "BP3KP Jawa I", Alamat: "Jl. Merdeka 1"},
		Chair: board.Official{Name: "Dr. Ahmad", NIP: "197801012005011001"}, Secretary: board.Official{Name: "Sari"}, CreatedAt: T0}
	if err := db.CreateProgramme(ctx, p, []byte("key-1")); err != nil {
		t.Fatal(err)
	}
	got, hash, err := db.Programme(ctx, "prog-1")
	if err != nil || !reflect.DeepEqual(got, p) || !bytes.Equal(hash, []byte("key-1")) {
		t.Fatalf("Programme = %+v %q %v, want %+v", got, hash, err, p)
	}
	if _, _, err := db.Programme(ctx, "nope"); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("unknown programme: %v", err)
	}
	if err := db.SetProgrammeKey(ctx, "prog-1", []byte("key-2")); err != nil {
		t.Fatal(err)
	}
	if _, hash, _ := db.Programme(ctx, "prog-1"); !bytes.Equal(hash, []byte("key-2")) {
		t.Errorf("after rotation the hash is %q", hash)
	}
	if err := db.SetProgrammeKey(ctx, "nope", []byte("k")); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("rotating an unknown programme: %v", err)
	}
	Create(t, st, "s1", "KODE01") // not in the programme
	sess, fac, cols := monitoringSession("m1", "KODE02", T0.Add(time.Hour))
	acts := []board.Action{
		{ID: "copy-1", Text: "Susun SOP", Owner: "Ani", Due: "2026-12-01", Area: board.Areas[1], Status: board.StatusProses,
			Progress: []board.ProgressNote{{ID: "pn", At: T0, SessionID: "s1", Text: "draf"}},
			Origin:   &board.ActionOrigin{SessionID: "s1", ActionID: "a1", SessionTitle: "Rapat s1"}},
		{ID: "copy-2", Text: "Survei", Owner: "Budi", Due: "2026-12-20", Origin: &board.ActionOrigin{SessionID: "s1", ActionID: "a2"}},
	}
	if err := db.CreateProgrammeSession(ctx, "prog-1", sess, nil, fac, cols, acts); err != nil {
		t.Fatal(err)
	}
	loaded, _, err := st.LoadState(ctx, "m1")
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded.Actions) != 2 || !reflect.DeepEqual(*loaded.Actions["copy-1"], acts[0]) || loaded.Seq != 0 {
		t.Fatalf("monitoring session loads actions %+v seq %d", loaded.Actions, loaded.Seq)
	}
	ms := &Session{TB: t, DB: st, St: loaded, now: T0.Add(2 * time.Hour)}
	ms.Do("fac", board.Command{Type: "action.progress", ID: "copy-1", Status: sp(board.StatusSelesai)})
	if again, _, _ := st.LoadState(ctx, "m1"); again.Actions["copy-1"].StatusOf() != board.StatusSelesai || len(again.Actions["copy-1"].Progress) != 2 {
		t.Errorf("after progress: %+v", again.Actions["copy-1"])
	}
	// Unknown programme: nothing stored. A taken join code: conflict.
	sess2, fac2, cols2 := monitoringSession("m2", "KODE03", T0.Add(3*time.Hour))
	if err := db.CreateProgrammeSession(ctx, "nope", sess2, nil, fac2, cols2, nil); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("session in an unknown programme: %v", err)
	}
	if ok, _ := st.SessionExists(ctx, "m2"); ok {
		t.Error("a session of an unknown programme was stored")
	}
	sess2.JoinCode = "KODE01"
	if err := db.CreateProgrammeSession(ctx, "prog-1", sess2, nil, fac2, cols2, nil); board.ErrorCode(err) != board.CodeConflict {
		t.Errorf("taken join code: %v", err)
	}
	sess2.JoinCode = "KODE04"
	if err := db.CreateProgrammeSession(ctx, "prog-1", sess2, nil, fac2, cols2, nil); err != nil {
		t.Fatal(err)
	}
	if ids, err := db.ProgrammeSessions(ctx, "prog-1"); err != nil || !slices.Equal(ids, []string{"m1", "m2"}) {
		t.Errorf("ProgrammeSessions = %v %v", ids, err)
	}
	if id, _ := db.SessionProgramme(ctx, "m2"); id != "prog-1" {
		t.Errorf("SessionProgramme(m2) = %q", id)
	}
	if id, err := db.SessionProgramme(ctx, "s1"); id != "" || err != nil {
		t.Errorf("SessionProgramme(s1) = %q %v", id, err)
	}
	if err := st.DeleteSession(ctx, "m1"); err != nil {
		t.Fatal(err)
	}
	if ids, _ := db.ProgrammeSessions(ctx, "prog-1"); !slices.Equal(ids, []string{"m2"}) {
		t.Errorf("after deleting m1: %v", ids)
	}
}
