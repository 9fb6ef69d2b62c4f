package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"rembuk/board"
)

func testCreateAndLoad(t *testing.T, db Store) {
	ctx := context.Background()
	s := Create(t, db, "s1", "KODE01")
	st, refs, err := db.LoadState(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != 0 || len(refs) != 0 {
		t.Errorf("new session: seq %d, refs %v; want 0 and none", st.Seq, refs)
	}
	if !reflect.DeepEqual(st.Session, s.St.Session) || !st.Session.CreatedAt.Equal(T0) {
		t.Errorf("session = %+v\nwant %+v", st.Session, s.St.Session)
	}
	fac := st.Participants["fac"]
	if fac == nil || fac.Role != board.RoleFacilitator || string(fac.TokenHash) != "fac-token-hash" || !fac.JoinedAt.Equal(T0) {
		t.Errorf("facilitator = %+v", fac)
	}
	if len(st.Columns) != 3 || st.Columns["c3"].Kind != board.KindInnovation || st.Columns["c2"].Title != "Akar Masalah" {
		t.Errorf("columns = %+v", st.Columns)
	}
	id, hash, err := db.SessionByCode(ctx, "KODE01")
	if err != nil || id != "s1" || string(hash) != "pass-hash-s1" {
		t.Errorf("SessionByCode = %q %q %v", id, hash, err)
	}
	if _, _, err := db.SessionByCode(ctx, "NOPE"); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("SessionByCode(unknown) = %v, want not_found", err)
	}
	if ok, err := db.SessionExists(ctx, "s1"); !ok || err != nil {
		t.Errorf("SessionExists(s1) = %v %v", ok, err)
	}
	if ok, err := db.SessionExists(ctx, "nope"); ok || err != nil {
		t.Errorf("SessionExists(nope) = %v %v", ok, err)
	}
	if _, _, err := db.LoadState(ctx, "nope"); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("LoadState(nope) = %v, want not_found", err)
	}
	// A join code is unique; the failed create leaves nothing behind.
	err = db.CreateSession(ctx, board.Session{ID: "s2", JoinCode: "KODE01", CreatedAt: T0}, nil,
		board.Participant{ID: "f2", JoinedAt: T0}, []board.Column{{ID: "x", Title: "x", Kind: "other"}})
	if board.ErrorCode(err) != board.CodeConflict {
		t.Errorf("duplicate join code: %v, want conflict", err)
	}
	if ok, _ := db.SessionExists(ctx, "s2"); ok {
		t.Errorf("the refused session s2 exists")
	}
	// A duplicate id is an error too.
	if err := db.CreateSession(ctx, board.Session{ID: "s1", JoinCode: "OTHER1", CreatedAt: T0}, nil, board.Participant{ID: "f"}, nil); err == nil {
		t.Errorf("a second session s1 was created")
	}
	// No passcode: an empty hash.
	if err := db.CreateSession(ctx, board.Session{ID: "s3", JoinCode: "KODE03", CreatedAt: T0}, nil, board.Participant{ID: "f3", JoinedAt: T0}, nil); err != nil {
		t.Fatal(err)
	}
	if _, hash, err := db.SessionByCode(ctx, "KODE03"); err != nil || len(hash) != 0 {
		t.Errorf("no passcode hash = %q %v", hash, err)
	}
	if err := db.Healthy(ctx); err != nil {
		t.Errorf("Healthy = %v", err)
	}
}

// Rich drives a session through every kind of row (votes, a score, a
// record, an action and the spotlight on a note deleted later among them)
// and returns every change stored.
func Rich(t *testing.T, db Store, id, code string) (*Session, []*board.Change) {
	t.Helper()
	s := Create(t, db, id, code)
	var all []*board.Change
	all = append(all, s.Join("not", "Nia", board.RoleNotulis), s.Join("pa", "Ani", board.RoleParticipant),
		s.Join("pb", "Budi", board.RoleParticipant), s.Join("pc", "Cici", board.RoleParticipant))
	do := func(actor string, cmd board.Command) *board.Change {
		ch := s.Do(actor, cmd)
		all = append(all, ch)
		return ch
	}
	n1 := do("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("Antrean panjang"), Color: sp("pink")}).CreatedID
	n2 := do("pb", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("Formulir rumit")}).CreatedID
	n3 := do("pb", board.Command{Type: "note.add", ColumnID: "c2", Text: sp("SDM kurang")}).CreatedID
	inno := do("pa", board.Command{Type: "note.add", ColumnID: "c3", Text: sp("Antrean daring")}).CreatedID
	gone := do("pc", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("dihapus nanti")}).CreatedID
	do("pa", board.Command{Type: "note.update", ID: n1, Text: sp("Antrean sangat panjang")})
	do("fac", board.Command{Type: "phase.set", Phase: "group"})
	batch := []*board.Change{
		s.Decide("pb", board.Command{Type: "group.add", ColumnID: "c1", Title: sp("Layanan"), NoteIDs: []string{n1, n2}}),
		s.Decide("pa", board.Command{Type: "note.move", ID: n3, Position: fp(0.5)}),
		s.Decide("fac", board.Command{Type: "phase.set", Phase: "vote"}),
	}
	s.Submit(batch...)
	all = append(all, batch...)
	g := batch[0].CreatedID
	for _, who := range []string{"pa", "pb", "fac", "pc"} {
		do(who, board.Command{Type: "vote.cast", TargetID: board.Str(n1)})
		do(who, board.Command{Type: "vote.cast", TargetID: board.Str(g)})
		do(who, board.Command{Type: "usg.score", TargetID: board.Str(n1), U: 4, S: 3, G: 5})
	}
	do("pa", board.Command{Type: "vote.cast", TargetID: board.Str(gone)})
	do("pa", board.Command{Type: "vote.cast", TargetID: board.Str(n1)})
	do("pa", board.Command{Type: "vote.retract", TargetID: board.Str(g)})
	do("pb", board.Command{Type: "usg.score", TargetID: board.Str(g), U: 1, S: 2, G: 3})
	do("pa", board.Command{Type: "link.add", FromID: inno, ToID: n1})
	do("pa", board.Command{Type: "link.add", FromID: inno, ToID: gone})
	do("fac", board.Command{Type: "phase.set", Phase: "discuss"})
	do("not", board.Command{Type: "record.set", Text: sp("Kesimpulan sesi")})
	do("not", board.Command{Type: "record.set", TargetID: board.Str(g), Text: sp("Prioritas")})
	do("not", board.Command{Type: "record.set", TargetID: board.Str(gone), Text: sp("hilang")})
	do("not", board.Command{Type: "action.add", Text: sp("Susun SOP"), Owner: sp("Budi"), Due: sp("2026-12-31"), TargetID: board.Str(gone)})
	do("fac", board.Command{Type: "spotlight.set", TargetID: board.Str(gone)})
	do("fac", board.Command{Type: "timer.start", Seconds: 300})
	do("pc", board.Command{Type: "note.delete", ID: gone})
	do("fac", board.Command{Type: "participant.remove", ID: "pc"})
	do("fac", board.Command{Type: "settings.update", VotesPerParticipant: ip(3), PrivateBrainstorm: bp(true), Anonymous: bp(true)})
	do("pb", board.Command{Type: "note.add", ColumnID: "c2", Text: sp("rahasia")})
	do("fac", board.Command{Type: "column.add", Title: sp("Lain-lain")})
	return s, all
}

// sameState fails unless loaded is the live state as every viewer sees it.
func sameState(t *testing.T, live, loaded *board.State) {
	t.Helper()
	if loaded.Seq != live.Seq {
		t.Errorf("loaded seq = %d, want %d", loaded.Seq, live.Seq)
	}
	for id, p := range live.Participants {
		v := board.ViewerOf(p)
		a, _ := json.Marshal(live.Snapshot(v, nil, T0))
		b, _ := json.Marshal(loaded.Snapshot(v, nil, T0))
		if !bytes.Equal(a, b) {
			t.Errorf("snapshot for %s differs\nlive:   %s\nloaded: %s", id, a, b)
		}
		if loaded.VotesUsed(id) != live.VotesUsed(id) {
			t.Errorf("VotesUsed(%s) = %d, want %d", id, loaded.VotesUsed(id), live.VotesUsed(id))
		}
		if lp := loaded.Participants[id]; lp == nil || !bytes.Equal(lp.TokenHash, p.TokenHash) {
			t.Errorf("participant %s = %+v, want token hash %q", id, lp, p.TokenHash)
		}
	}
	if !reflect.DeepEqual(loaded.Session, live.Session) {
		t.Errorf("session = %+v\nwant %+v", loaded.Session, live.Session)
	}
	for _, m := range []struct {
		name      string
		got, want any
	}{
		{"notes", loaded.Notes, live.Notes}, {"groups", loaded.Groups, live.Groups}, {"links", loaded.Links, live.Links},
		{"actions", loaded.Actions, live.Actions}, {"records", loaded.Records, live.Records},
		{"votes", loaded.Votes, live.Votes}, {"scores", loaded.Scores, live.Scores}, {"columns", loaded.Columns, live.Columns},
	} {
		if !reflect.DeepEqual(m.got, m.want) {
			g, _ := json.Marshal(m.got)
			w, _ := json.Marshal(m.want)
			t.Errorf("%s differ\nloaded: %s\nlive:   %s", m.name, g, w)
		}
	}
}

func testRoundTrip(t *testing.T, db Store) {
	s, changes := Rich(t, db, "s1", "KODE01")
	st, refs, err := db.LoadState(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	SameRich(t, s.St, changes, st, refs)
}

// SameRich fails unless st and refs, loaded back, are Rich's live session
// live after its changes: the same board for every viewer, and every
// command's first outcome kept under its ref.
func SameRich(t *testing.T, live *board.State, changes []*board.Change, st *board.State, refs map[string]board.Ack) {
	t.Helper()
	sameState(t, live, st)
	if !st.Participants["pc"].Removed || st.Participants["not"].Role != board.RoleNotulis {
		t.Errorf("participants = %+v", st.Participants)
	}
	n := 0
	for _, c := range changes {
		if c.Ref == "" {
			continue
		}
		n++
		got, ok := refs[board.RefKey(c.Event.ActorID, c.Ref)]
		if !ok || got != (board.Ack{Seq: c.Event.Seq, CreatedID: c.CreatedID}) {
			t.Errorf("ref %s of %s = %+v (%v), want seq %d id %q", c.Ref, c.Event.ActorID, got, ok, c.Event.Seq, c.CreatedID)
		}
	}
	if len(refs) != n+1 { // and the notulis's setRole
		t.Errorf("refs = %d, want %d", len(refs), n+1)
	}
}

// testRotateCode: a new join code works at once, the old one stops.
func testRotateCode(t *testing.T, db Store) {
	ctx := context.Background()
	s := Create(t, db, "s1", "KODE01")
	s.Do("fac", board.Command{Type: "session.rotateCode"})
	code := s.St.Session.JoinCode
	if code == "KODE01" || code == "" {
		t.Fatalf("rotated code = %q", code)
	}
	if id, _, err := db.SessionByCode(ctx, code); err != nil || id != "s1" {
		t.Errorf("SessionByCode(new) = %q %v", id, err)
	}
	if _, _, err := db.SessionByCode(ctx, "KODE01"); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("SessionByCode(old) = %v, want not_found", err)
	}
	st, _, err := db.LoadState(ctx, "s1")
	if err != nil || st.Session.JoinCode != code {
		t.Errorf("loaded join code = %q %v, want %q", st.Session.JoinCode, err, code)
	}
}

func testDelete(t *testing.T, db Store) {
	ctx := context.Background()
	Rich(t, db, "s1", "KODE01")
	Create(t, db, "s2", "KODE02").Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("tetap")})
	if _, _, err := db.AcquireLease(ctx, "s1", "A", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.SessionExists(ctx, "s1"); ok || err != nil {
		t.Errorf("SessionExists after delete = %v %v", ok, err)
	}
	if _, _, err := db.LoadState(ctx, "s1"); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("LoadState after delete = %v", err)
	}
	if evs, err := db.EventsSince(ctx, "s1", 0, 10); err != nil || len(evs) != 0 {
		t.Errorf("log after delete = %d events %v", len(evs), err)
	}
	if node, _, err := db.LeaseOwner(ctx, "s1"); node != "" || err != nil {
		t.Errorf("lease after delete = %q %v", node, err)
	}
	if err := db.DeleteSession(ctx, "s1"); board.ErrorCode(err) != board.CodeNotFound {
		t.Errorf("second delete = %v, want not_found", err)
	}
	// Its join code is free again; the other session is untouched.
	Create(t, db, "s3", "KODE01")
	if st, _, err := db.LoadState(ctx, "s2"); err != nil || len(st.Notes) != 1 || st.Seq != 1 {
		t.Errorf("other session after delete: %v", err)
	}
}
