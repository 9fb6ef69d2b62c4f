package store

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

func testProgramme(id string) board.Programme {
	return board.Programme{ID: id, Unit: "BP3KP Jawa I", Year: 2026, Target: board.TargetWBK,
		Kop:   board.Kop{Instansi: "Kementerian PKP", Unit: "BP3KP Jawa I", Alamat: "Jl. Merdeka 1"},
		Chair: board.Official{Name: "Dr. Ahmad", NIP: "197801012005011001"}, Secretary: board.Official{Name: "Sari"}, CreatedAt: t0}
}

func monitoringSession(id, code string) (board.Session, board.Participant, []board.Column) {
	sess := board.Session{ID: id, Title: "Monitoring " + id, Template: board.TemplateMonitoring, Lang: "id", TimeZone: "WIB",
		JoinCode: code, Phase: board.PhaseBrainstorm, Settings: board.DefaultSettings(), CreatedAt: t0.Add(time.Hour)}
	fac := board.Participant{ID: "fac", Name: "Fasilitator", Role: board.RoleFacilitator, JoinedAt: t0, TokenHash: []byte("h")}
	return sess, fac, []board.Column{{ID: id + "-c1", Title: board.Areas[0], Kind: board.KindOther, Position: 1}}
}

func TestProgrammeStore(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	p := testProgramme("prog-1")
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

	// A session in the programme, starting with two copied actions.
	s1 := storetest.Create(t, db, "s1", "KODE01") // not in the programme
	s1.Do("fac", board.Command{Type: "action.add", Text: sp("Susun SOP"), Owner: sp("Ani"), Due: sp("2026-12-01")})
	sess, fac, cols := monitoringSession("m1", "KODE02")
	acts := []board.Action{
		{ID: "copy-1", Text: "Susun SOP", Owner: "Ani", Due: "2026-12-01", Area: board.Areas[1], Status: board.StatusProses,
			Progress: []board.ProgressNote{{ID: "pn", At: t0, SessionID: "s1", Text: "draf"}},
			Origin:   &board.ActionOrigin{SessionID: "s1", ActionID: "a1", SessionTitle: "Rapat s1"}},
		{ID: "copy-2", Text: "Survei", Owner: "Budi", Due: "2026-12-20", Origin: &board.ActionOrigin{SessionID: "s1", ActionID: "a2"}},
	}
	if err := db.CreateProgrammeSession(ctx, "prog-1", sess, nil, fac, cols, acts); err != nil {
		t.Fatal(err)
	}
	st, _, err := db.LoadState(ctx, "m1")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Actions) != 2 || !reflect.DeepEqual(*st.Actions["copy-1"], acts[0]) || st.Seq != 0 {
		t.Fatalf("monitoring session loads actions %+v seq %d", st.Actions, st.Seq)
	}
	// Its board goes on like any other.
	ms := storetest.Resume(t, db, st, t0.Add(2*time.Hour), "pn-")
	ms.Do("fac", board.Command{Type: "action.progress", ID: "copy-1", Status: sp(board.StatusSelesai)})
	if st2, _, _ := db.LoadState(ctx, "m1"); st2.Actions["copy-1"].StatusOf() != board.StatusSelesai || len(st2.Actions["copy-1"].Progress) != 2 {
		t.Errorf("after progress: %+v", st2.Actions["copy-1"])
	}

	// Unknown programme: nothing stored. A taken join code: conflict.
	sess2, fac2, cols2 := monitoringSession("m2", "KODE03")
	if err := db.CreateProgrammeSession(ctx, "nope", sess2, nil, fac2, cols2, nil); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("session in an unknown programme: %v", err)
	}
	if ok, _ := db.SessionExists(ctx, "m2"); ok {
		t.Error("a session of an unknown programme was stored")
	}
	sess2.JoinCode = "KODE01"
	if err := db.CreateProgrammeSession(ctx, "prog-1", sess2, nil, fac2, cols2, nil); err != ErrCodeTaken {
		t.Errorf("taken join code: %v", err)
	}
	sess2.JoinCode = "KODE04"
	sess2.CreatedAt = t0.Add(3 * time.Hour)
	if err := db.CreateProgrammeSession(ctx, "prog-1", sess2, nil, fac2, cols2, nil); err != nil {
		t.Fatal(err)
	}
	ids, err := db.ProgrammeSessions(ctx, "prog-1")
	if err != nil || !reflect.DeepEqual(ids, []string{"m1", "m2"}) {
		t.Errorf("ProgrammeSessions = %v %v", ids, err)
	}
	if id, _ := db.SessionProgramme(ctx, "m2"); id != "prog-1" {
		t.Errorf("SessionProgramme(m2) = %q", id)
	}
	// Deleting a session takes its link with it.
	if err := db.DeleteSession(ctx, "m1"); err != nil {
		t.Fatal(err)
	}
	if ids, _ := db.ProgrammeSessions(ctx, "prog-1"); !reflect.DeepEqual(ids, []string{"m2"}) {
		t.Errorf("after deleting m1: %v", ids)
	}
	// Reopened, everything is still there.
	path := db.path
	MustClose(t, db)
	db = MustOpenDBAt(t, path)
	if _, hash, err := db.Programme(ctx, "prog-1"); err != nil || !bytes.Equal(hash, []byte("key-2")) {
		t.Errorf("after reopening: %q %v", hash, err)
	}
}
