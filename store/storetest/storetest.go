// Package storetest is the conformance suite every Rembuk store passes:
// the SQLite store (package store) and the PostgreSQL store (package
// store/postgres) run Run from their tests, each against the real
// database. What one store does, the other must do the same way: the
// server cannot tell them apart.
package storetest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"rembuk/board"
)

// Store is what the suite tests: the server's Store and Leases (server
// declares them; the suite names the same methods so that store tests need
// not import the server).
type Store interface {
	CreateSession(ctx context.Context, s board.Session, passcodeHash []byte, facilitator board.Participant, columns []board.Column) error
	SessionByCode(ctx context.Context, code string) (id string, passcodeHash []byte, err error)
	SessionExists(ctx context.Context, id string) (bool, error)
	LoadState(ctx context.Context, id string) (*board.State, map[string]board.Ack, error)
	Submit(ctx context.Context, sessionID string, epoch int64, changes []*board.Change) (first int64, err error)
	Expect(sessionID string)
	EventsSince(ctx context.Context, sessionID string, since int64, limit int) ([]board.Event, error)
	DeleteSession(ctx context.Context, id string) error
	Healthy(ctx context.Context) error

	AcquireLease(ctx context.Context, sessionID, node string, ttl time.Duration) (epoch int64, owner string, err error)
	RenewLeases(ctx context.Context, node string, ttl time.Duration) (held []string, err error)
	ReleaseLease(ctx context.Context, sessionID, node string, epoch int64) error
	LeaseOwner(ctx context.Context, sessionID string) (node string, epoch int64, err error)
}

// PhotoStore is the server's photo store; a Store that implements it has
// its photos tested too.
type PhotoStore interface {
	AddPhoto(ctx context.Context, p board.Photo, max int) error
	DeletePhoto(ctx context.Context, sessionID, id string) error
	Photos(ctx context.Context, sessionID string, blobs bool) ([]board.Photo, error)
	PhotoData(ctx context.Context, sessionID, id string, thumb bool) ([]byte, error)
}

// Open opens a fresh, empty store; it closes it when t ends.
type Open func(t *testing.T) Store

// Run runs every test of the suite, each on a store of its own.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db Store)
	}{
		{"CreateAndLoad", testCreateAndLoad},
		{"LoadStateRoundTrip", testRoundTrip},
		{"EventsSince", testEventsSince},
		{"SeqWithoutGaps", testSeqWithoutGaps},
		{"RefsIdempotent", testRefs},
		{"FailedJobFailsAlone", testFailedJobAlone},
		{"SubmitUnknownSession", testSubmitUnknown},
		{"JoinCodeRotates", testRotateCode},
		{"Leases", testLeases},
		{"LeaseExpiry", testLeaseExpiry},
		{"Fenced", testFenced},
		{"Delete", testDelete},
		{"Photos", testPhotos},
		{"Programmes", testProgrammes},
		{"DevicesAndMerge", testDevicesAndMerge},
		{"AddressHits", testAddressHits},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// T0 is the suite's fixed clock (nanoseconds on purpose: a store keeps
// the session's times as given, event times at least to the microsecond).
var T0 = time.Date(2026, 11, 27, 9, 0, 0, 123456789, time.UTC)

// Session is a board session driven through a store the way a room does
// it: decide on the live State, Submit, number the batch from the first
// seq, Commit.
type Session struct {
	TB    testing.TB
	DB    Store
	St    *board.State
	Epoch int64
	refs  int
	objs  int
	ids   string // new objects are ids1, ids2, …
	now   time.Time
}

// Create stores a new session id (join code code) with a facilitator
// "fac" and three columns, and loads it back.
func Create(tb testing.TB, db Store, id, code string) *Session {
	tb.Helper()
	sess := board.Session{ID: id, Title: "Rapat " + id, Agenda: "Agenda", Place: "Aula", Unit: "Bagian Umum",
		ScheduledAt: "2026-11-27T09:00:00Z", Template: "masalah-inovasi", Lang: "id", TimeZone: "Asia/Jakarta",
		JoinCode: code, Phase: board.PhaseBrainstorm, Settings: board.DefaultSettings(), CreatedAt: T0, HasPasscode: true}
	fac := board.Participant{ID: "fac", Name: "Fasilitator", Unit: "Bagian Umum", Role: board.RoleFacilitator,
		JoinedAt: T0, TokenHash: []byte("fac-token-hash")}
	cols := []board.Column{
		{ID: "c1", Title: "Masalah", Kind: board.KindProblem, Position: 1},
		{ID: "c2", Title: "Akar Masalah", Kind: board.KindCause, Position: 2},
		{ID: "c3", Title: "Usulan Inovasi", Kind: board.KindInnovation, Position: 3},
	}
	if err := db.CreateSession(context.Background(), sess, []byte("pass-hash-"+id), fac, cols); err != nil {
		tb.Fatalf("CreateSession(%s): %v", id, err)
	}
	st, _, err := db.LoadState(context.Background(), id)
	if err != nil {
		tb.Fatalf("LoadState(%s): %v", id, err)
	}
	return &Session{TB: tb, DB: db, St: st, ids: id + "-obj-", now: T0}
}

// Resume drives a session already stored, st as loaded, from the time now
// on; its new objects are ids1, ids2, … (apart from the ones the store
// holds).
func Resume(tb testing.TB, db Store, st *board.State, now time.Time, ids string) *Session {
	return &Session{TB: tb, DB: db, St: st, ids: ids, now: now}
}

// Decide executes cmd as actor on the live state without storing it (a
// ref is made up when cmd has none).
func (s *Session) Decide(actor string, cmd board.Command) *board.Change {
	s.TB.Helper()
	ch, err := s.Execute(actor, cmd)
	if err != nil {
		s.TB.Fatalf("%s by %s: %v", cmd.Type, actor, err)
	}
	return ch
}

// Execute is Decide returning the board's error instead of failing the
// test: for a goroutine, which must not end the test. Each call is a
// second after the last; new objects are numbered per session.
func (s *Session) Execute(actor string, cmd board.Command) (*board.Change, error) {
	if cmd.Ref == "" {
		s.refs++
		cmd.Ref = fmt.Sprintf("ref-%d", s.refs)
	}
	s.now = s.now.Add(time.Second)
	return s.St.Execute(actor, cmd, s.now, func() string {
		s.objs++
		return s.ids + strconv.Itoa(s.objs)
	})
}

// Submit stores changes as one room batch under the session's epoch,
// numbers them and commits their seqs.
func (s *Session) Submit(changes ...*board.Change) {
	s.TB.Helper()
	first, err := s.DB.Submit(context.Background(), s.St.Session.ID, s.Epoch, changes)
	if err != nil {
		s.TB.Fatalf("Submit: %v", err)
	}
	if first != s.St.Seq+1 {
		s.TB.Fatalf("Submit of %d changes: first seq %d, want %d", len(changes), first, s.St.Seq+1)
	}
	for i, c := range changes {
		c.Event.Seq = first + int64(i)
		s.St.Commit(c.Event.Seq)
	}
}

// Do decides and stores one command.
func (s *Session) Do(actor string, cmd board.Command) *board.Change {
	s.TB.Helper()
	ch := s.Decide(actor, cmd)
	s.Submit(ch)
	return ch
}

// Join adds a participant (with a role other than participant set by the
// facilitator) and stores it.
func (s *Session) Join(id, name string, role board.Role) *board.Change {
	s.TB.Helper()
	s.now = s.now.Add(time.Second)
	ch, err := s.St.Join(board.Participant{ID: id, Name: name, Unit: "Unit " + name, Role: board.RoleParticipant,
		JoinedAt: s.now, TokenHash: []byte("hash-" + id)})
	if err != nil {
		s.TB.Fatalf("Join: %v", err)
	}
	s.Submit(ch)
	if role != board.RoleParticipant {
		s.Do("fac", board.Command{Type: "participant.setRole", ID: id, Role: string(role)})
	}
	return ch
}

func sp(s string) *string   { return &s }
func bp(b bool) *bool       { return &b }
func ip(i int) *int         { return &i }
func fp(f float64) *float64 { return &f }
