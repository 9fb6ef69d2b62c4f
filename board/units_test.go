package board

import (
	"bytes"
	"testing"
	"time"
)

// joinUnit joins id as a participant of unit through State.Join.
func (b *tb) joinUnit(id, unit string) {
	b.t.Helper()
	ch, err := b.s.Join(Participant{ID: id, Name: "Nama " + id, Unit: unit, Role: RoleParticipant, JoinedAt: b.now})
	if err != nil {
		b.t.Fatalf("Join(%s): %v", id, err)
	}
	b.s.Commit(b.s.Seq + 1)
	ch.Event.Seq = b.s.Seq
	b.events = append(b.events, ch.Event)
	b.now = b.now.Add(time.Second)
}

// unitBoard: facilitator "fac" (unit "Unit Fasilitator"), three people of
// Balai A spelled three ways, two of Balai B, two of no unit: five people
// whose unit is never shown.
func unitBoard(t *testing.T) *tb {
	b := newBoard(t, KindProblem)
	b.joinUnit("a1", "Balai A")
	b.joinUnit("a2", "balai  a")
	b.joinUnit("a3", " BALAI A ")
	b.joinUnit("b1", "Balai B")
	b.joinUnit("b2", "Balai B")
	b.joinUnit("x", "  ")
	b.joinUnit("y", "")
	return b
}

// TestCanSeeUnit is the unit rule: whoever may learn the author learns the
// unit; for an anonymous note, only with "tampilkan unit" on and a unit of
// at least three people now — the author always learns their own.
func TestCanSeeUnit(t *testing.T) {
	type tc struct {
		name      string
		anonymous bool // the session is anonymous when the notes are written
		show      bool
		remove    string // a participant removed before asking
		after     func(b *tb)
		author    string
		viewer    string
		want      string // the label the viewer gets, "" none
	}
	cases := []tc{
		{name: "open session, unit of two", author: "b1", viewer: "a1", want: "Balai B"},
		{name: "open session, label is the first spelling", author: "a3", viewer: "b1", want: "Balai A"},
		{name: "open session, no unit", author: "x", viewer: "a1", want: ""},
		{name: "anonymous, units hidden", anonymous: true, author: "a1", viewer: "b1", want: ""},
		{name: "anonymous, units hidden, facilitator", anonymous: true, author: "a1", viewer: "fac", want: ""},
		{name: "anonymous, units hidden, author", anonymous: true, author: "a1", viewer: "a1", want: "Balai A"},
		{name: "anonymous, shown, unit of three", anonymous: true, show: true, author: "a2", viewer: "b1", want: "Balai A"},
		{name: "anonymous, shown, unit of three, fac", anonymous: true, show: true, author: "a2", viewer: "fac", want: "Balai A"},
		{name: "anonymous, shown, unit of two", anonymous: true, show: true, author: "b1", viewer: "a1", want: ""},
		{name: "anonymous, shown, unit of two, fac", anonymous: true, show: true, author: "b1", viewer: "fac", want: ""},
		{name: "anonymous, shown, unit of two, other member", anonymous: true, show: true, author: "b1", viewer: "b2", want: ""},
		{name: "anonymous, shown, unit of two, author", anonymous: true, show: true, author: "b1", viewer: "b1", want: "Balai B"},
		{name: "anonymous, shown, unit of one (facilitator's)", anonymous: true, show: true, author: "fac", viewer: "a1", want: ""},
		{name: "anonymous, shown, removed member not counted", anonymous: true, show: true, remove: "a3", author: "a1", viewer: "b1", want: ""},
		{name: "anonymous, shown, removed author's unit", anonymous: true, show: true, remove: "a1", author: "a1", viewer: "b1", want: ""},
		{name: "stamped note after anonymity off, hidden", anonymous: true, author: "a1", viewer: "b1", want: "",
			after: func(b *tb) { b.settings(Command{Anonymous: bp(false)}) }},
		{name: "stamped note after anonymity off, shown, unit of two", anonymous: true, show: true, author: "b1", viewer: "a1", want: "",
			after: func(b *tb) { b.settings(Command{Anonymous: bp(false)}) }},
		{name: "stamped note after anonymity off, shown, unit of three", anonymous: true, show: true, author: "a1", viewer: "b1", want: "Balai A",
			after: func(b *tb) { b.settings(Command{Anonymous: bp(false)}) }},
		{name: "a fourth member joins: still shown", anonymous: true, show: true, author: "b1", viewer: "a1", want: "Balai B",
			after: func(b *tb) { b.joinUnit("b3", "BALAI B") }},
		{name: "the two left without a unit would be named by elimination", anonymous: true, show: true, author: "a1", viewer: "b1", want: "",
			after: func(b *tb) {
				b.joinUnit("b3", "Balai B")
				b.do("fac", Command{Type: "participant.remove", ID: "y"})
			}},
		{name: "three left without a unit", anonymous: true, show: true, author: "a1", viewer: "b1", want: "Balai A",
			after: func(b *tb) { b.joinUnit("b3", "Balai B") }},
		{name: "private unrevealed note, participant", show: true, author: "a1", viewer: "b1", want: "",
			after: func(b *tb) {}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := unitBoard(t)
			if c.name == "private unrevealed note, participant" {
				b.settings(Command{PrivateBrainstorm: bp(true)})
			}
			b.settings(Command{Anonymous: bp(c.anonymous), ShowUnits: bp(c.show)})
			n := b.note(c.author, "col1", "catatan")
			if c.after != nil {
				c.after(b)
			}
			if c.remove != "" {
				b.do("fac", Command{Type: "participant.remove", ID: c.remove})
			}
			v := b.viewer(c.viewer)
			note := b.s.Notes[n]
			if got := b.s.CanSeeUnit(note, v); got != (c.want != "") {
				t.Fatalf("CanSeeUnit = %v, want %v", got, c.want != "")
			}
			got := ""
			if nv, ok := b.s.Snapshot(v, nil, t0).Notes[len(b.s.Notes)-1].(NoteView); ok {
				got = nv.AuthorUnit
			}
			if got != c.want {
				t.Fatalf("snapshot authorUnit = %q, want %q", got, c.want)
			}
			ev := b.eventsNamed("note.added", n)
			raw := project(t, b.s, &ev, v)
			if has := bytes.Contains(raw, []byte(`"authorUnit"`)); has != (c.want != "") {
				t.Fatalf("note.added for %s = %s, want unit %q", c.viewer, raw, c.want)
			}
		})
	}
}

// TestUnitCrossingResendsNotes: when a removal takes a unit below three
// people (or a join brings it to three) while units are shown in an
// anonymous session, the event carries every note again, projected per
// viewer, so no page keeps a unit it may no longer see; it is not
// replayable one by one, and viewers who see the same bytes share one
// encoding.
func TestUnitCrossingResendsNotes(t *testing.T) {
	b := unitBoard(t)
	b.settings(Command{Anonymous: bp(true), ShowUnits: bp(true)})
	n := b.note("a1", "col1", "dari balai a")
	rm := b.do("fac", Command{Type: "participant.remove", ID: "a3"})
	d := rm.Event.Data.(RemovedData)
	if len(d.Notes) != 1 || Replayable([]Event{rm.Event}) {
		t.Fatalf("removal below three: notes %d, replayable %v", len(d.Notes), Replayable([]Event{rm.Event}))
	}
	for _, who := range []string{"fac", "b1", "a2"} {
		raw := project(t, b.s, &rm.Event, b.viewer(who))
		if bytes.Contains(raw, []byte("Balai A")) {
			t.Fatalf("participant.removed for %s shows the unit of two: %s", who, raw)
		}
	}
	if raw := project(t, b.s, &rm.Event, b.viewer("a1")); !bytes.Contains(raw, []byte("Balai A")) {
		t.Fatalf("participant.removed for the author lacks their own unit: %s", raw)
	}
	if b.s.ClassKey(&rm.Event, b.viewer("b1")) != b.s.ClassKey(&rm.Event, b.viewer("b2")) {
		t.Fatalf("two readers who see the same bytes do not share an encoding")
	}
	if b.s.ClassKey(&rm.Event, b.viewer("a1")) == b.s.ClassKey(&rm.Event, b.viewer("b1")) {
		t.Fatalf("the author shares an encoding with a reader")
	}
	b.joinUnit("a4", "Balai A")
	j := b.events[len(b.events)-1]
	if len(j.Data.(ParticipantData).Notes) != 1 {
		t.Fatalf("a join back to three carries no notes")
	}
	if raw := project(t, b.s, &j, b.viewer("b1")); !bytes.Contains(raw, []byte(`"authorUnit":"Balai A"`)) {
		t.Fatalf("participant.joined back to three hides the unit: %s", raw)
	}
	// A join that crosses nothing carries no notes.
	b.joinUnit("a5", "Balai A")
	if b.events[len(b.events)-1].Data.(ParticipantData).Notes != nil {
		t.Fatalf("a fifth member's join carries notes")
	}
	_ = n
}

// TestShowUnitsIsFacilitatorOnly: tampilkan unit is a setting, and only
// the facilitator changes settings; switching it sends every note again.
func TestShowUnitsIsFacilitatorOnly(t *testing.T) {
	b := unitBoard(t)
	b.participant("not", "Notulis", RoleNotulis)
	b.refuse("a1", Command{Type: "settings.update", ShowUnits: bp(true)}, CodeForbidden)
	b.refuse("not", Command{Type: "settings.update", ShowUnits: bp(true)}, CodeForbidden)
	ch := b.do("fac", Command{Type: "settings.update", ShowUnits: bp(true)})
	if d := ch.Event.Data.(NotesData); !d.Settings.ShowUnits || d.Notes == nil {
		t.Fatalf("settings.changed = %+v", d)
	}
}

// TestUnitUSG: the ranking's USG per unit is the mean over the raters of
// each unit; while anonymous it needs "tampilkan unit", three people in
// the unit and two raters of it, so no breakdown shows one rater's score.
func TestUnitUSG(t *testing.T) {
	b := unitBoard(t)
	n := b.note("fac", "col1", "masalah")
	b.phase(PhaseVote)
	for _, r := range []struct {
		who     string
		u, s, g int
	}{{"a1", 5, 5, 5}, {"a2", 3, 3, 3}, {"b1", 1, 2, 3}, {"x", 4, 4, 4}} {
		b.do(r.who, Command{Type: "usg.score", TargetID: Str(n), U: r.u, S: r.s, G: r.g})
	}
	got := b.s.unitUSG(n, b.s.units())
	if len(got) != 2 || got[0].Unit != "Balai A" || got[0].U != 4 || got[0].Total != 12 || got[0].Raters != 2 ||
		got[1].Unit != "Balai B" || got[1].Raters != 1 || got[1].Total != 6 {
		t.Fatalf("open session: %+v", got)
	}
	b.settings(Command{Anonymous: bp(true)})
	if got := b.s.unitUSG(n, b.s.units()); len(got) != 0 {
		t.Fatalf("anonymous, units hidden: %+v", got)
	}
	b.settings(Command{ShowUnits: bp(true)})
	if got := b.s.unitUSG(n, b.s.units()); len(got) != 1 || got[0].Unit != "Balai A" {
		t.Fatalf("anonymous, shown: %+v, want Balai A alone (B has two people, one rater)", got)
	}
	// One rater left outside the breakdown: nothing is broken out, or the
	// team's mean less Balai A's would be that rater's score.
	m := b.note("fac", "col1", "masalah kedua")
	for _, who := range []string{"a1", "a2", "b1"} {
		b.do(who, Command{Type: "usg.score", TargetID: Str(m), U: 2, S: 2, G: 2})
	}
	if got := b.s.unitUSG(m, b.s.units()); len(got) != 0 {
		t.Fatalf("anonymous, one rater outside the breakdown: %+v", got)
	}
	b.do("fac", Command{Type: "participant.remove", ID: "a3"})
	if got := b.s.unitUSG(n, b.s.units()); len(got) != 0 {
		t.Fatalf("anonymous, Balai A down to two people: %+v", got)
	}
}

// TestUnitSequenceInvariants walks the fuzz board through the unit rule's
// edges with the fuzz oracle checking every step: anonymous notes from a
// unit of three, the unit shown, a member removed (down to two), anonymity
// off and on, units hidden again.
func TestUnitSequenceInvariants(t *testing.T) {
	f := newFuzzRun(t, nil)
	steps := []struct {
		actor string
		cmd   Command
	}{
		{"fac", Command{Type: "settings.update", Anonymous: bp(true), ShowUnits: bp(true)}},
		{"pa-2e", Command{Type: "note.add", ColumnID: "col1", Text: sp("catatan ani")}},
		{"pb-3d", Command{Type: "note.add", ColumnID: "col1", Text: sp("catatan budi")}},
		{"fac", Command{Type: "note.add", ColumnID: "col1", Text: sp("catatan fasilitator")}},
		{"fac", Command{Type: "participant.remove", ID: "pa-2e"}},
		{"pb-3d", Command{Type: "note.add", ColumnID: "col1", Text: sp("catatan budi lagi")}},
		{"fac", Command{Type: "settings.update", Anonymous: bp(false)}},
		{"fac", Command{Type: "settings.update", ShowUnits: bp(false)}},
		{"fac", Command{Type: "settings.update", ShowUnits: bp(true), PrivateBrainstorm: bp(true)}},
		{"pb-3d", Command{Type: "note.add", ColumnID: "col1", Text: sp("rahasia budi")}},
	}
	for i, st := range steps {
		f.step(i, st.actor, st.cmd)
	}
	f.checkReplay()
}
