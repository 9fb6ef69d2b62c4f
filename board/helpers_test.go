package board

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"
)

// t0 is the fixed clock of the board tests.
var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func sp(s string) *string   { return &s }
func bp(b bool) *bool       { return &b }
func ip(i int) *int         { return &i }
func fp(f float64) *float64 { return &f }
func null() NullString      { return NullString{Set: true} }

// idGen returns a deterministic id source: prefix-1, prefix-2, ...
func idGen(prefix string) func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("%s-%d", prefix, n) }
}

// tb wraps a State with a clock, an id source and a ref counter, so tests
// read as a list of commands.
type tb struct {
	t     testing.TB
	s     *State
	newID func() string
	refs  int
	now   time.Time
	// events holds every accepted change's event, joins included, in seq order.
	events []Event
}

// newBoard builds a session in phase brainstorm with default settings and
// the given columns (kind per column), and joins the facilitator "fac".
func newBoard(t testing.TB, kinds ...string) *tb {
	t.Helper()
	s := NewState(Session{ID: "sess", Title: "Rapat", Template: "kosong", Phase: PhaseBrainstorm,
		Settings: DefaultSettings(), CreatedAt: t0, JoinCode: "ABC123"})
	b := &tb{t: t, s: s, newID: idGen("id"), now: t0}
	b.join("fac", "Fasilitator", RoleFacilitator)
	for i, k := range kinds {
		c := &Column{ID: fmt.Sprintf("col%d", i+1), Title: fmt.Sprintf("Kolom %d", i+1), Kind: k, Position: float64(i + 1)}
		s.Columns[c.ID] = c
	}
	return b
}

// join adds a participant through State.Join and commits its change.
func (b *tb) join(id, name string, role Role) *Participant {
	b.t.Helper()
	ch, err := b.s.Join(Participant{ID: id, Name: name, Unit: "Unit " + name, Role: role, JoinedAt: b.now,
		TokenHash: []byte("hash-of-" + id)})
	if err != nil {
		b.t.Fatalf("Join(%s): %v", id, err)
	}
	if ch.Event.Name != "participant.joined" {
		b.t.Fatalf("Join event = %q, want participant.joined", ch.Event.Name)
	}
	b.s.Commit(b.s.Seq + 1)
	ch.Event.Seq = b.s.Seq
	b.events = append(b.events, ch.Event)
	b.now = b.now.Add(time.Second)
	return b.s.Participants[id]
}

// participant joins as a participant and, for RoleNotulis, is promoted by
// the facilitator (the real way a notulis comes to be).
func (b *tb) participant(id, name string, role Role) *Participant {
	b.t.Helper()
	p := b.join(id, name, RoleParticipant)
	if role == RoleNotulis {
		b.do("fac", Command{Type: "participant.setRole", ID: id, Role: string(RoleNotulis)})
	}
	return p
}

func (b *tb) ref() string { b.refs++; return fmt.Sprintf("r%d", b.refs) }

// try executes cmd as actor (filling in a ref) and returns the outcome.
func (b *tb) try(actor string, cmd Command) (*Change, error) {
	if cmd.Ref == "" {
		cmd.Ref = b.ref()
	}
	ch, err := b.s.Execute(actor, cmd, b.now, b.newID)
	if err == nil {
		b.s.Commit(b.s.Seq + 1)
		ch.Event.Seq = b.s.Seq
		b.events = append(b.events, ch.Event)
	}
	return ch, err
}

// do executes cmd as actor and fails the test if it is refused.
func (b *tb) do(actor string, cmd Command) *Change {
	b.t.Helper()
	ch, err := b.try(actor, cmd)
	if err != nil {
		b.t.Fatalf("%s by %s: unexpected refusal: %v", cmd.Type, actor, err)
	}
	return ch
}

// created executes cmd and returns the id it created.
func (b *tb) created(actor string, cmd Command) string {
	b.t.Helper()
	ch := b.do(actor, cmd)
	if ch.CreatedID == "" {
		b.t.Fatalf("%s by %s: no created id", cmd.Type, actor)
	}
	return ch.CreatedID
}

// refuse executes cmd as actor, wants the error code, and checks that the
// refusal left the state exactly as it was and recorded no puts.
func (b *tb) refuse(actor string, cmd Command, wantCode string) {
	b.t.Helper()
	before := dump(b.t, b.s)
	ch, err := b.try(actor, cmd)
	if err == nil {
		b.t.Fatalf("%s by %s: accepted (event %s), want %s", cmd.Type, actor, ch.Event.Name, wantCode)
	}
	if got := ErrorCode(err); got != wantCode {
		b.t.Fatalf("%s by %s: code = %q (%v), want %q", cmd.Type, actor, got, err, wantCode)
	}
	if ch != nil {
		b.t.Errorf("%s by %s: refusal returned a change", cmd.Type, actor)
	}
	assertUnchanged(b.t, b.s, before, cmd.Type+" by "+actor)
}

// assertUnchanged fails when s differs from the dump taken before, or has
// puts pending.
func assertUnchanged(t testing.TB, s *State, before, what string) {
	t.Helper()
	if after := dump(t, s); after != before {
		t.Errorf("%s: refused command changed the state\nbefore: %s\nafter:  %s", what, before, after)
	}
	if len(s.pending) != 0 {
		t.Errorf("%s: refused command left %d pending puts: %+v", what, len(s.pending), s.pending)
	}
}

func (b *tb) note(actor, col, text string) string {
	b.t.Helper()
	return b.created(actor, Command{Type: "note.add", ColumnID: col, Text: sp(text)})
}

func (b *tb) phase(p Phase) {
	b.t.Helper()
	b.do("fac", Command{Type: "phase.set", Phase: string(p)})
}

func (b *tb) settings(cmd Command) {
	b.t.Helper()
	cmd.Type = "settings.update"
	b.do("fac", cmd)
}

// dump is a deterministic picture of everything in a State, the unexported
// aggregates included, for "nothing changed" comparisons.
func dump(t testing.TB, s *State) string {
	t.Helper()
	type sum struct{ U, S, G, N int }
	sums := map[string]sum{}
	for k, v := range s.usgSums {
		sums[k] = sum{v.u, v.s, v.g, v.n}
	}
	hashes := map[string]string{}
	for id, p := range s.Participants {
		hashes[id] = string(p.TokenHash)
	}
	b, err := json.Marshal(struct {
		Session      Session
		Participants map[string]*Participant
		Hashes       map[string]string
		Columns      map[string]*Column
		Groups       map[string]*Group
		Notes        map[string]*Note
		Links        map[string]*Link
		Actions      map[string]*Action
		Records      map[string]*Record
		Votes        map[string]*Vote
		Scores       map[string]*Score
		Seq          int64
		VotesUsed    map[string]int
		Sums         map[string]sum
	}{s.Session, s.Participants, hashes, s.Columns, s.Groups, s.Notes, s.Links, s.Actions, s.Records,
		s.Votes, s.Scores, s.Seq, s.votesUsed, sums})
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	return string(b)
}

// mustJSON encodes v or fails.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%T): %v", v, err)
	}
	return b
}

// asMap decodes JSON bytes into a generic map.
func asMap(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return m
}

// keysOf returns the sorted keys of a JSON object.
func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// project returns the JSON of ev as viewer v receives it.
func project(t testing.TB, s *State, ev *Event, v Viewer) []byte {
	t.Helper()
	return mustJSON(t, s.Project(ev, s.classOf(ev, v)))
}

// viewer returns the Viewer of participant id.
func (b *tb) viewer(id string) Viewer {
	b.t.Helper()
	p := b.s.Participants[id]
	if p == nil {
		b.t.Fatalf("no participant %s", id)
	}
	return ViewerOf(p)
}
