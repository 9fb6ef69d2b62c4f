package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
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

// rich drives a session through every kind of row and returns every
// change stored.
func rich(t *testing.T, db Store, id, code string) (*Session, []*board.Change) {
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
	do("pa", board.Command{Type: "vote.retract", TargetID: board.Str(g)})
	do("pa", board.Command{Type: "link.add", FromID: inno, ToID: n1})
	do("pa", board.Command{Type: "link.add", FromID: inno, ToID: gone})
	do("fac", board.Command{Type: "phase.set", Phase: "discuss"})
	do("not", board.Command{Type: "record.set", Text: sp("Kesimpulan sesi")})
	do("not", board.Command{Type: "record.set", TargetID: board.Str(g), Text: sp("Prioritas")})
	do("not", board.Command{Type: "action.add", Text: sp("Susun SOP"), Owner: sp("Budi"), Due: sp("2026-12-31"), TargetID: board.Str(gone)})
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
	s, changes := rich(t, db, "s1", "KODE01")
	st, refs, err := db.LoadState(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	sameState(t, s.St, st)
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

func testEventsSince(t *testing.T, db Store) {
	ctx := context.Background()
	s, changes := rich(t, db, "s1", "KODE01")
	all, err := db.EventsSince(ctx, "s1", 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(all)) != s.St.Seq {
		t.Fatalf("%d events, want %d", len(all), s.St.Seq)
	}
	bySeq := map[int64]board.Event{}
	for i, ev := range all {
		if ev.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d", i, ev.Seq)
		}
		bySeq[ev.Seq] = ev
	}
	for _, c := range changes {
		got := bySeq[c.Event.Seq]
		if got.Name != c.Event.Name || got.ActorID != c.Event.ActorID ||
			!got.At.Truncate(time.Microsecond).Equal(c.Event.At.Truncate(time.Microsecond)) {
			t.Errorf("seq %d = %s by %s at %v, want %s by %s at %v", got.Seq, got.Name, got.ActorID, got.At,
				c.Event.Name, c.Event.ActorID, c.Event.At)
		}
		if reflect.TypeOf(got.Data) != reflect.TypeOf(c.Event.Data) {
			t.Errorf("seq %d %s data is %T, want %T", got.Seq, got.Name, got.Data, c.Event.Data)
			continue
		}
		gj, _ := json.Marshal(got.Data)
		wj, _ := json.Marshal(c.Event.Data)
		if !bytes.Equal(gj, wj) {
			t.Errorf("seq %d %s data = %s, want %s", got.Seq, got.Name, gj, wj)
		}
	}
	page, err := db.EventsSince(ctx, "s1", 3, 2)
	if err != nil || len(page) != 2 || page[0].Seq != 4 || page[1].Seq != 5 {
		t.Errorf("EventsSince(3, 2) = %+v, %v", page, err)
	}
	if rest, err := db.EventsSince(ctx, "s1", s.St.Seq, 10); err != nil || len(rest) != 0 {
		t.Errorf("EventsSince(last) = %d events, %v", len(rest), err)
	}
	if rest, err := db.EventsSince(ctx, "other", 0, 10); err != nil || len(rest) != 0 {
		t.Errorf("EventsSince(other session) = %d events, %v", len(rest), err)
	}
}

// wantGapFree fails unless the session's log is exactly 1..n.
func wantGapFree(t *testing.T, db Store, id string, n int) {
	t.Helper()
	evs, err := db.EventsSince(context.Background(), id, 0, n+100)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != n {
		t.Fatalf("%s: %d events, want %d", id, len(evs), n)
	}
	for i, ev := range evs {
		if ev.Seq != int64(i+1) {
			t.Fatalf("%s: event %d has seq %d", id, i, ev.Seq)
		}
	}
}

// testSeqWithoutGaps: rooms submit at once, a batch of several changes
// each time; every session's log is 1..n in its own order.
func testSeqWithoutGaps(t *testing.T, db Store) {
	ctx := context.Background()
	const sessions, rounds = 8, 10
	ss := make([]*Session, sessions)
	for i := range ss {
		ss[i] = Create(t, db, fmt.Sprintf("s%02d", i), fmt.Sprintf("K%05d", i))
	}
	var wg sync.WaitGroup
	errc := make(chan error, sessions)
	for _, s := range ss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < rounds; j++ {
				var batch []*board.Change
				for k := 0; k <= j%3; k++ {
					s.now = s.now.Add(time.Second)
					text := fmt.Sprintf("catatan %d.%d", j, k)
					ch, err := s.St.Execute("fac", board.Command{Type: "note.add", Ref: fmt.Sprintf("r%d.%d", j, k), ColumnID: "c1", Text: &text},
						s.now, func() string { s.objs++; return fmt.Sprintf("%s-n%d", s.St.Session.ID, s.objs) })
					if err != nil {
						errc <- err
						return
					}
					batch = append(batch, ch)
				}
				s.DB.Expect(s.St.Session.ID)
				first, err := db.Submit(ctx, s.St.Session.ID, 0, batch)
				if err != nil || first != s.St.Seq+1 {
					errc <- fmt.Errorf("%s round %d: first %d, %v; want %d", s.St.Session.ID, j, first, err, s.St.Seq+1)
					return
				}
				s.St.Commit(first + int64(len(batch)) - 1)
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	for _, s := range ss {
		wantGapFree(t, db, s.St.Session.ID, int(s.St.Seq))
		st, refs, err := db.LoadState(ctx, s.St.Session.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Notes) != int(s.St.Seq) || len(refs) != int(s.St.Seq) || st.Seq != s.St.Seq {
			t.Errorf("%s: %d notes, %d refs, seq %d; want %d", s.St.Session.ID, len(st.Notes), len(refs), st.Seq, s.St.Seq)
		}
	}
	// An empty batch stores nothing.
	if _, err := db.Submit(ctx, "s00", 0, nil); err != nil {
		t.Errorf("Submit(empty) = %v", err)
	}
	wantGapFree(t, db, "s00", int(ss[0].St.Seq))
}

// testRefs: a ref is kept with its first outcome; the same ref stored
// again by its owner is refused and stores nothing, while another
// participant may use the same ref.
func testRefs(t *testing.T, db Store) {
	ctx := context.Background()
	s := Create(t, db, "s1", "KODE01")
	s.Join("pa", "Ani", board.RoleParticipant)
	first := s.Do("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("pertama"), Ref: "dup"})
	again := s.Decide("pa", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("ulang"), Ref: "dup"})
	if n, err := db.Submit(ctx, "s1", 0, []*board.Change{again}); err == nil {
		t.Fatalf("a ref stored twice (seq %d)", n)
	}
	other := s.Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("fasilitator"), Ref: "dup"})
	if other.Event.Seq != first.Event.Seq+1 {
		t.Errorf("next seq after the refused ref = %d, want %d", other.Event.Seq, first.Event.Seq+1)
	}
	st, refs, err := db.LoadState(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Notes[again.CreatedID]; ok {
		t.Errorf("the refused change's note was stored")
	}
	if ack := refs[board.RefKey("pa", "dup")]; ack != (board.Ack{Seq: first.Event.Seq, CreatedID: first.CreatedID}) {
		t.Errorf("ref dup of pa = %+v, want its first outcome", ack)
	}
	if ack := refs[board.RefKey("fac", "dup")]; ack != (board.Ack{Seq: other.Event.Seq, CreatedID: other.CreatedID}) {
		t.Errorf("ref dup of fac = %+v", ack)
	}
	// A change without a ref (a join) keeps none.
	if len(refs) != 2 {
		t.Errorf("refs = %v, want 2", refs)
	}
	if err := db.Healthy(ctx); err != nil {
		t.Errorf("Healthy after a refused job: %v", err)
	}
}

// testFailedJobAlone: a job that fails (a ref stored again) submitted
// together with good ones fails alone, whether or not the store put them
// in one transaction.
func testFailedJobAlone(t *testing.T, db Store) {
	ctx := context.Background()
	const n = 6
	ss := make([]*Session, n)
	for i := range ss {
		ss[i] = Create(t, db, fmt.Sprintf("s%d", i), fmt.Sprintf("K%05d", i))
		ss[i].Do("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("pertama"), Ref: "dup"})
	}
	bad := ss[0].Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("ulang"), Ref: "dup"})
	for round := 0; round < 5; round++ {
		goods := make([]*board.Change, n)
		for i, s := range ss {
			goods[i] = s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c2", Text: sp(fmt.Sprintf("baik %d", round))})
		}
		var wg sync.WaitGroup
		errs := make([]error, n+1)
		firsts := make([]int64, n+1)
		for i := 0; i <= n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == n {
					firsts[i], errs[i] = db.Submit(ctx, "s0", 0, []*board.Change{bad})
					return
				}
				firsts[i], errs[i] = db.Submit(ctx, ss[i].St.Session.ID, 0, []*board.Change{goods[i]})
			}()
		}
		wg.Wait()
		if errs[n] == nil || firsts[n] != 0 {
			t.Fatalf("round %d: the stale ref was stored (%d)", round, firsts[n])
		}
		for i, s := range ss {
			if errs[i] != nil || firsts[i] != s.St.Seq+1 {
				t.Fatalf("round %d: good job of %s = %d %v, want %d", round, s.St.Session.ID, firsts[i], errs[i], s.St.Seq+1)
			}
			s.St.Commit(firsts[i])
		}
	}
	for _, s := range ss {
		wantGapFree(t, db, s.St.Session.ID, int(s.St.Seq))
	}
}

func testSubmitUnknown(t *testing.T, db Store) {
	ctx := context.Background()
	s := Create(t, db, "s1", "KODE01")
	ch := s.Decide("fac", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("x")})
	if first, err := db.Submit(ctx, "nope", 0, []*board.Change{ch}); err == nil || first != 0 {
		t.Fatalf("Submit to an unknown session = %d %v, want an error", first, err)
	}
	if evs, err := db.EventsSince(ctx, "nope", 0, 10); err != nil || len(evs) != 0 {
		t.Errorf("unknown session's log = %v %v", evs, err)
	}
	if err := db.Healthy(ctx); err != nil {
		t.Errorf("a failed job made the store unhealthy: %v", err)
	}
	s.Submit(ch) // the store goes on
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
	rich(t, db, "s1", "KODE01")
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
