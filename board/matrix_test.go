package board

import (
	"testing"
)

// This file checks every command type against every role, phase, lock and
// close, from a table written out of the contract's command list (not out
// of rules.go, so the two are checked against each other).

// who may send a command, as the contract's table says.
type contractWho int

const (
	cAnyone contractWho = iota // "anyone" (own note for note.update/move/delete)
	cStaff                     // "facilitator, notulis"
	cFac                       // "facilitator"
)

type contractRule struct {
	who   contractWho
	phase Phase // "" = any
	// facAnyPhase: "anyone in phase group, facilitator" (group.add).
	facAnyPhase bool
	event       string
	// lockFree: participants may still send it under the lock (signing
	// the attendance list, issue 14).
	lockFree bool
}

var contractRules = map[string]contractRule{
	"note.add":            {who: cAnyone, event: "note.added"},
	"note.update":         {who: cAnyone, event: "note.updated"},
	"note.move":           {who: cAnyone, event: "note.moved"},
	"note.delete":         {who: cAnyone, event: "note.deleted"},
	"group.add":           {who: cAnyone, phase: PhaseGroup, facAnyPhase: true, event: "group.added"},
	"group.update":        {who: cFac, event: "group.updated"},
	"group.delete":        {who: cFac, event: "group.deleted"},
	"vote.cast":           {who: cAnyone, phase: PhaseVote, event: "vote.changed"},
	"vote.retract":        {who: cAnyone, phase: PhaseVote, event: "vote.changed"},
	"usg.score":           {who: cAnyone, phase: PhaseVote, event: "usg.changed"},
	"link.add":            {who: cAnyone, event: "link.added"},
	"link.delete":         {who: cAnyone, event: "link.deleted"},
	"action.add":          {who: cStaff, event: "action.added"},
	"action.update":       {who: cStaff, event: "action.updated"},
	"action.delete":       {who: cStaff, event: "action.deleted"},
	"record.set":          {who: cStaff, event: "record.set"},
	"participant.setRole": {who: cFac, event: "participant.changed"},
	"participant.remove":  {who: cFac, event: "participant.removed"},
	"phase.set":           {who: cFac, event: "phase.changed"},
	"settings.update":     {who: cFac, event: "settings.changed"},
	"notes.reveal":        {who: cFac, event: "notes.revealed"},
	"timer.start":         {who: cFac, event: "timer.changed"},
	"timer.stop":          {who: cFac, event: "timer.changed"},
	"spotlight.set":       {who: cFac, event: "spotlight.changed"},
	"column.add":          {who: cFac, event: "column.added"},
	"column.update":       {who: cFac, event: "column.updated"},
	"column.delete":       {who: cFac, event: "column.deleted"},
	"session.close":       {who: cFac, event: "session.closed"},
	"session.rotateCode":  {who: cFac, event: "session.codeChanged"},
	"apkl.score":          {who: cAnyone, phase: PhaseScreen, event: "apkl.changed"},
	"participant.sign":    {who: cAnyone, lockFree: true, event: "participant.signed"},
	"participant.update":  {who: cAnyone, lockFree: true, event: "participant.changed"},
	"attendance.request":  {who: cFac, event: "attendance.requested"},
	"participant.merge":   {who: cFac, event: "participant.merged"},
	// outside a monitoring session (the fixture's), staff work
	"action.progress": {who: cStaff, event: "action.progressed"},
	"invitation.set":  {who: cFac, event: "invitation.changed"},
}

// expectCode is the contract's answer for a valid command of type typ from
// role in phase, with the board locked or the session closed. "" = accepted.
func expectCode(typ string, role Role, phase Phase, locked, closed bool) string {
	r := contractRules[typ]
	if closed {
		return CodeClosed
	}
	switch {
	case r.who == cFac && role != RoleFacilitator:
		return CodeForbidden
	case r.who == cStaff && role == RoleParticipant:
		return CodeForbidden
	}
	if locked && role != RoleFacilitator && !(role == RoleNotulis && r.who == cStaff) && !r.lockFree {
		return CodeLocked
	}
	if r.phase != "" && phase != r.phase && !(r.facAnyPhase && role == RoleFacilitator) {
		return CodeWrongPhase
	}
	return ""
}

// fixture is a board with something for every command to act on.
type fixture struct {
	*tb
	probCol, innoCol, spareCol string
	own                        map[string]string // actor -> a note the actor wrote (problem column)
	voted                      string            // every actor has one vote on it
	inno                       string            // the facilitator's innovation note
	group, link, action        string
}

var actorOf = map[Role]string{RoleFacilitator: "fac", RoleNotulis: "not", RoleParticipant: "pa"}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	b := newBoard(t, KindProblem, KindInnovation, KindOther)
	f := &fixture{tb: b, probCol: "col1", innoCol: "col2", spareCol: "col3", own: map[string]string{}}
	b.participant("not", "Nia Notulis", RoleNotulis)
	b.participant("pa", "Ani", RoleParticipant)
	b.participant("pb", "Budi", RoleParticipant)
	b.participant("px", "Xena", RoleParticipant)
	for _, id := range []string{"fac", "not", "pa", "pb"} {
		f.own[id] = b.note(id, f.probCol, "catatan "+id)
	}
	f.inno = b.note("fac", f.innoCol, "inovasi")
	f.voted = f.own["pb"]
	f.group = b.created("fac", Command{Type: "group.add", ColumnID: f.probCol, Title: sp("Kelompok"), NoteIDs: []string{f.own["pb"]}})
	f.link = b.created("pa", Command{Type: "link.add", FromID: f.inno, ToID: f.own["pa"]})
	f.action = b.created("not", Command{Type: "action.add", Text: sp("Tindak"), Owner: sp("Budi"), Due: sp("2026-12-01")})
	// APKL is on (scope "passed"), and the voted note passed, so USG on
	// it is open in phase vote.
	b.settings(Command{APKL: &APKLPatch{Enabled: bp(true)}})
	b.phase(PhaseScreen)
	b.do("fac", Command{Type: "apkl.score", TargetID: Str(f.voted), A: ip(1), P: ip(1), K: ip(1), L: ip(1)})
	b.phase(PhaseVote)
	for _, id := range []string{"fac", "not", "pa", "pb"} {
		b.do(id, Command{Type: "vote.cast", TargetID: Str(f.voted)})
	}
	b.phase(PhaseBrainstorm)
	return f
}

// valid returns a command of type typ that actor may send when role,
// phase, lock and close allow it.
func (f *fixture) valid(typ, actor string) Command {
	c := Command{Type: typ}
	switch typ {
	case "note.add":
		c.ColumnID, c.Text = f.probCol, sp("baru")
	case "note.update":
		c.ID, c.Text = f.own[actor], sp("diubah")
	case "note.move":
		c.ID, c.Position = f.own[actor], fp(9)
	case "note.delete":
		c.ID = f.own[actor]
	case "group.add":
		c.ColumnID, c.Title, c.NoteIDs = f.probCol, sp("Baru"), []string{f.own["pa"]}
	case "group.update":
		c.ID, c.Title = f.group, sp("Judul baru")
	case "group.delete":
		c.ID = f.group
	case "vote.cast", "vote.retract":
		c.TargetID = Str(f.voted)
	case "usg.score":
		c.TargetID, c.U, c.S, c.G = Str(f.voted), 3, 4, 5
	case "apkl.score":
		c.TargetID, c.A, c.P, c.K, c.L = Str(f.voted), ip(1), ip(0), ip(1), ip(1)
	case "link.add":
		c.FromID, c.ToID = f.inno, f.own["pb"]
	case "link.delete":
		c.ID = f.link
	case "action.add":
		c.Text, c.Owner, c.Due = sp("Aksi"), sp("Ani"), sp("2026-12-31")
	case "action.update":
		c.ID, c.Done = f.action, bp(true)
	case "action.delete":
		c.ID = f.action
	case "action.progress":
		c.ID, c.Status = f.action, sp(StatusProses)
	case "record.set":
		c.TargetID, c.Text = null(), sp("Kesimpulan")
	case "participant.setRole":
		c.ID, c.Role = "px", string(RoleNotulis)
	case "participant.remove":
		c.ID = "px"
	case "phase.set":
		c.Phase = string(PhaseDiscuss)
	case "settings.update":
		c.Anonymous, c.ShowUnits = bp(true), bp(true)
	case "notes.reveal", "timer.stop", "session.close", "session.rotateCode":
	case "timer.start":
		c.Seconds = 300
	case "spotlight.set":
		c.TargetID = Str(f.voted)
	case "column.add":
		c.Title = sp("Kolom baru")
	case "column.update":
		c.ID, c.Title = f.probCol, sp("Masalah")
	case "column.delete":
		c.ID = f.spareCol
	case "participant.sign":
		c.Path = sp("M10 10L20 20")
	case "participant.update":
		c.NIP, c.Jabatan = sp("1978 0101"), sp("Analis")
	case "attendance.request":
	case "invitation.set":
		c.Invitation = &Invitation{Number: "001/UND/2026", SignerName: "Dr. Ahmad"}
	case "participant.merge":
		c.ID, c.IntoID = "px", "pb"
	default:
		f.t.Fatalf("no valid command for %s", typ)
	}
	return c
}

func TestContractTableCoversEveryCommand(t *testing.T) {
	for typ, c := range commands {
		if _, ok := contractRules[typ]; !ok {
			t.Errorf("command %s is not in the test's contract table", typ)
		}
		if c.do == nil {
			t.Errorf("command %s has no handler", typ)
		}
	}
	if got, want := len(contractRules), len(commands); got != want {
		t.Errorf("contract table has %d commands, the board knows %d", got, want)
	}
}

// TestCommandMatrix runs every command type × role × phase, plain, locked
// and closed, through Allowed and Execute.
func TestCommandMatrix(t *testing.T) {
	roles := []Role{RoleFacilitator, RoleNotulis, RoleParticipant}
	modes := []struct {
		name           string
		locked, closed bool
	}{{"open", false, false}, {"locked", true, false}, {"closed", false, true}}
	for _, mode := range modes {
		for _, phase := range Phases {
			for typ, cr := range contractRules {
				for _, role := range roles {
					name := mode.name + "/" + string(phase) + "/" + typ + "/" + string(role)
					t.Run(name, func(t *testing.T) {
						f := newFixture(t)
						if phase != PhaseBrainstorm {
							f.phase(phase)
						}
						if mode.locked {
							f.settings(Command{Locked: bp(true)})
						}
						if mode.closed {
							f.do("fac", Command{Type: "session.close"})
						}
						actor := actorOf[role]
						if got := f.s.Participants[actor].Role; got != role {
							t.Fatalf("actor %s has role %s, want %s", actor, got, role)
						}
						want := expectCode(typ, role, phase, mode.locked, mode.closed)
						err := f.s.Allowed(f.s.Participants[actor], typ)
						if want == "" && err != nil || want != "" && ErrorCode(err) != want {
							t.Errorf("Allowed = %v, want %q", err, want)
						}
						cmd := f.valid(typ, actor)
						if want != "" {
							f.refuse(actor, cmd, want)
							return
						}
						ch := f.do(actor, cmd)
						if ch.Event.Name != cr.event {
							t.Errorf("event = %q, want %q", ch.Event.Name, cr.event)
						}
						if ch.Event.ActorID != actor {
							t.Errorf("event actor = %q, want %q", ch.Event.ActorID, actor)
						}
						if !ch.Event.At.Equal(f.now) {
							t.Errorf("event at = %v, want %v", ch.Event.At, f.now)
						}
						if len(ch.Puts) == 0 {
							t.Errorf("accepted %s recorded no puts", typ)
						}
						if len(f.s.pending) != 0 {
							t.Errorf("puts left pending after an accepted command: %d", len(f.s.pending))
						}
					})
				}
			}
		}
	}
}

// TestLockedNotulisKeepsMinutes pins the one exception of the lock: the
// notulis keeps writing records and actions.
func TestLockedNotulisKeepsMinutes(t *testing.T) {
	f := newFixture(t)
	f.settings(Command{Locked: bp(true)})
	f.do("not", Command{Type: "record.set", TargetID: Str(f.voted), Text: sp("dicatat")})
	f.do("not", Command{Type: "action.add", Text: sp("a"), Owner: sp("b"), Due: sp("2026-12-01")})
	f.refuse("not", Command{Type: "note.add", ColumnID: f.probCol, Text: sp("x")}, CodeLocked)
	f.refuse("pa", Command{Type: "note.add", ColumnID: f.probCol, Text: sp("x")}, CodeLocked)
	f.refuse("pa", Command{Type: "record.set", Text: sp("x")}, CodeForbidden)
	// The facilitator acts, and unlocking lets everyone back in.
	f.do("fac", Command{Type: "note.add", ColumnID: f.probCol, Text: sp("x")})
	f.settings(Command{Locked: bp(false)})
	f.do("pa", Command{Type: "note.add", ColumnID: f.probCol, Text: sp("x")})
}

// TestClosed: after session.close every command, the facilitator's too,
// and every join get closed.
func TestClosed(t *testing.T) {
	f := newFixture(t)
	f.do("fac", Command{Type: "timer.start", Seconds: 60})
	ch := f.do("fac", Command{Type: "session.close"})
	if d, ok := ch.Event.Data.(ClosedData); !ok || !d.ClosedAt.Equal(f.now) {
		t.Errorf("session.closed data = %#v", ch.Event.Data)
	}
	if !f.s.Session.Closed || f.s.Session.Timer != nil || !f.s.Session.ClosedAt.Equal(f.now) {
		t.Errorf("after close: closed=%v timer=%v closedAt=%v", f.s.Session.Closed, f.s.Session.Timer, f.s.Session.ClosedAt)
	}
	for typ := range contractRules {
		for _, who := range []string{"fac", "not", "pa"} {
			f.refuse(who, f.valid(typ, who), CodeClosed)
		}
	}
	if _, err := f.s.Join(Participant{ID: "late", Name: "Telat", Role: RoleParticipant, JoinedAt: t0}); ErrorCode(err) != CodeClosed {
		t.Errorf("Join after close: %v, want closed", err)
	}
	if _, ok := f.s.Participants["late"]; ok || len(f.s.pending) != 0 {
		t.Errorf("refused join changed the state")
	}
}

func TestUnknownOrRemovedActor(t *testing.T) {
	f := newFixture(t)
	f.refuse("nobody", f.valid("note.add", "nobody"), CodeUnauthorized)
	f.do("fac", Command{Type: "participant.remove", ID: "pb"})
	f.refuse("pb", f.valid("note.add", "pb"), CodeUnauthorized)
	if err := f.s.Allowed(f.s.Participants["fac"], "no.such"); ErrorCode(err) != CodeInvalid {
		t.Errorf("Allowed(unknown type) = %v, want invalid", err)
	}
}
