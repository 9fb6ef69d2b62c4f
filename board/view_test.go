package board

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// viewBoard has a facilitator, a notulis and two participants.
func viewBoard(t *testing.T) *tb {
	t.Helper()
	b := newBoard(t, KindProblem, KindInnovation)
	b.participant("not", "Nia Notulis", RoleNotulis)
	b.participant("pa", "Ani Penulis", RoleParticipant)
	b.participant("pb", "Budi Pembaca", RoleParticipant)
	return b
}

// snapNote returns the JSON object of note id in v's snapshot.
func (b *tb) snapNote(v Viewer, id string) map[string]any {
	b.t.Helper()
	snap := asMap(b.t, mustJSON(b.t, b.s.Snapshot(v, nil, b.now)))
	for _, n := range snap["notes"].([]any) {
		m := n.(map[string]any)
		if m["id"] == id {
			return m
		}
	}
	b.t.Fatalf("note %s not in %s's snapshot", id, v.ID)
	return nil
}

// eventData returns the projected data object of ev for v, and the frame.
func (b *tb) eventFrame(ev Event, v Viewer) map[string]any {
	b.t.Helper()
	return asMap(b.t, project(b.t, b.s, &ev, v))
}

func wantHidden(t testing.TB, m map[string]any, id, col string) {
	t.Helper()
	if got, want := keysOf(m), []string{"columnId", "hidden", "id"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hidden note keys = %v, want %v (%v)", got, want, m)
	}
	if m["id"] != id || m["columnId"] != col || m["hidden"] != true {
		t.Errorf("hidden note = %v, want id %s column %s hidden true", m, id, col)
	}
}

func wantReadable(t testing.TB, m map[string]any, text string, author *string) {
	t.Helper()
	if m["text"] != text {
		t.Errorf("note text = %v, want %q", m["text"], text)
	}
	if _, hidden := m["hidden"]; hidden {
		t.Errorf("readable note has hidden key: %v", m)
	}
	for _, k := range []string{"authorId", "authorName"} {
		v, ok := m[k]
		if !ok {
			t.Errorf("note lacks %s: %v", k, m)
		}
		if author == nil && v != nil {
			t.Errorf("note %s = %v, want null", k, v)
		}
		if author != nil && k == "authorId" && v != *author {
			t.Errorf("note authorId = %v, want %s", v, *author)
		}
	}
}

func TestHiddenNoteEncoding(t *testing.T) {
	got := string(mustJSON(t, HiddenNote{ID: "n1", ColumnID: "c1", Hidden: true}))
	if want := `{"id":"n1","columnId":"c1","hidden":true}`; got != want {
		t.Errorf("hidden note JSON = %s, want %s", got, want)
	}
}

func TestPrivateBrainstorm(t *testing.T) {
	b := viewBoard(t)
	before := b.note("pa", "col1", "ditulis sebelum")
	b.settings(Command{PrivateBrainstorm: bp(true)})
	ch := b.do("pa", Command{Type: "note.add", ColumnID: "col1", Text: sp("rahasia ani"), Color: sp("pink")})
	secret := ch.CreatedID
	if b.s.Notes[secret].Revealed || !b.s.Notes[before].Revealed {
		t.Fatalf("revealed flags: secret %v, before %v", b.s.Notes[secret].Revealed, b.s.Notes[before].Revealed)
	}
	pa := "pa"
	for _, who := range []string{"pb", "not"} {
		v := b.viewer(who)
		// Snapshot: the hidden form and nothing else.
		wantHidden(t, b.snapNote(v, secret), secret, "col1")
		wantReadable(t, b.snapNote(v, before), "ditulis sebelum", &pa)
		raw := mustJSON(t, b.s.Snapshot(v, nil, b.now))
		if bytes.Contains(raw, []byte("rahasia")) {
			t.Errorf("%s's snapshot holds the hidden text", who)
		}
		// The event: the hidden form, and no actor to tell the author.
		fr := b.eventFrame(ch.Event, v)
		wantHidden(t, fr["data"].(map[string]any)["note"].(map[string]any), secret, "col1")
		if fr["actorId"] != nil {
			t.Errorf("%s sees actorId %v of a hidden note's author", who, fr["actorId"])
		}
		if c := b.s.classOf(&ch.Event, v); c.Text || c.Author || c.Actor {
			t.Errorf("%s's class = %+v", who, c)
		}
	}
	// The author and the facilitator read it, with its author.
	for _, who := range []string{"pa", "fac"} {
		v := b.viewer(who)
		wantReadable(t, b.snapNote(v, secret), "rahasia ani", &pa)
		fr := b.eventFrame(ch.Event, v)
		wantReadable(t, fr["data"].(map[string]any)["note"].(map[string]any), "rahasia ani", &pa)
		if fr["actorId"] != "pa" {
			t.Errorf("%s sees actorId %v, want pa", who, fr["actorId"])
		}
	}
	if m := b.snapNote(b.viewer("pa"), secret); m["mine"] != true {
		t.Errorf("author's snapshot mine = %v", m["mine"])
	}
	// Edits stay hidden.
	upd := b.do("pa", Command{Type: "note.update", ID: secret, Text: sp("rahasia kedua")})
	mv := b.do("pa", Command{Type: "note.move", ID: secret, ColumnID: "col2"})
	for _, ev := range []Event{upd.Event, mv.Event} {
		fr := b.eventFrame(ev, b.viewer("pb"))
		if bytes.Contains(project(t, b.s, &ev, b.viewer("pb")), []byte("rahasia")) || fr["actorId"] != nil {
			t.Errorf("%s leaks to pb: %v", ev.Name, fr)
		}
	}
	wantHidden(t, b.eventFrame(mv.Event, b.viewer("pb"))["data"].(map[string]any)["note"].(map[string]any), secret, "col2")

	// notes.reveal sends the texts to everyone.
	rev := b.do("fac", Command{Type: "notes.reveal"})
	fr := b.eventFrame(rev.Event, b.viewer("pb"))
	data := fr["data"].(map[string]any)
	if data["revealed"] != true {
		t.Errorf("notes.revealed revealed = %v", data["revealed"])
	}
	found := false
	for _, n := range data["notes"].([]any) {
		m := n.(map[string]any)
		if m["id"] == secret {
			found = true
			wantReadable(t, m, "rahasia kedua", &pa)
		}
	}
	if !found {
		t.Errorf("notes.revealed lacks the secret note")
	}
	wantReadable(t, b.snapNote(b.viewer("pb"), secret), "rahasia kedua", &pa)
	// Old events replayed after the reveal follow today's state.
	wantReadable(t, b.eventFrame(upd.Event, b.viewer("pb"))["data"].(map[string]any)["note"].(map[string]any), "rahasia kedua", &pa)
	// Written after the reveal, while the setting is still on: readable.
	after := b.note("pa", "col1", "sesudah reveal")
	wantReadable(t, b.snapNote(b.viewer("pb"), after), "sesudah reveal", &pa)

	// A new private round hides what is written from then on, and keeps
	// readable what everyone has read.
	b.settings(Command{PrivateBrainstorm: bp(false)})
	b.settings(Command{PrivateBrainstorm: bp(true)})
	if b.s.Session.Revealed {
		t.Errorf("a new private round starts revealed")
	}
	round2 := b.note("pa", "col1", "putaran dua")
	wantHidden(t, b.snapNote(b.viewer("pb"), round2), round2, "col1")
	for _, id := range []string{before, secret, after} {
		if m := b.snapNote(b.viewer("pb"), id); m["hidden"] != nil {
			t.Errorf("note %s read before the new round is hidden again", id)
		}
	}
}

func TestPrivateBrainstormFacilitatorNote(t *testing.T) {
	b := viewBoard(t)
	b.settings(Command{PrivateBrainstorm: bp(true)})
	ch := b.do("fac", Command{Type: "note.add", ColumnID: "col1", Text: sp("catatan fasilitator")})
	fr := b.eventFrame(ch.Event, b.viewer("pb"))
	wantHidden(t, fr["data"].(map[string]any)["note"].(map[string]any), ch.CreatedID, "col1")
	if fr["actorId"] != nil {
		t.Errorf("actorId of the facilitator's hidden note = %v, want null", fr["actorId"])
	}
}

// TestSettingsChangedReprojects: switching privateBrainstorm or anonymous
// sends every note again, projected per viewer.
func TestSettingsChangedReprojects(t *testing.T) {
	b := viewBoard(t)
	n := b.note("pa", "col1", "teks ani")
	ch := b.do("fac", Command{Type: "settings.update", Anonymous: bp(true)})
	if c := b.s.classOf(&ch.Event, b.viewer("pb")); c.PerViewer.ID != "pb" {
		t.Errorf("settings.changed with notes is not per viewer: %+v", c)
	}
	for who, author := range map[string]*string{"pb": nil, "fac": nil, "pa": sp("pa")} {
		data := b.eventFrame(ch.Event, b.viewer(who))["data"].(map[string]any)
		if keysOf(data)[0] != "notes" || data["settings"].(map[string]any)["anonymous"] != true {
			t.Errorf("%s: settings.changed data = %v", who, data)
		}
		notes := data["notes"].([]any)
		if len(notes) != 1 || notes[0].(map[string]any)["id"] != n {
			t.Fatalf("%s: notes = %v", who, notes)
		}
		wantReadable(t, notes[0].(map[string]any), "teks ani", author)
	}
	// A budget change sends no notes.
	ch = b.do("fac", Command{Type: "settings.update", VotesPerParticipant: ip(3)})
	data := b.eventFrame(ch.Event, b.viewer("pb"))["data"].(map[string]any)
	if got, want := keysOf(data), []string{"revealed", "settings"}; !reflect.DeepEqual(got, want) {
		t.Errorf("settings.changed (budget) keys = %v, want %v", got, want)
	}
}

func TestAnonymous(t *testing.T) {
	b := viewBoard(t)
	b.settings(Command{Anonymous: bp(true)})
	pa, fac := "pa", "fac"
	ch := b.do("pa", Command{Type: "note.add", ColumnID: "col1", Text: sp("anonim")})
	n := ch.CreatedID
	fch := b.do("fac", Command{Type: "note.add", ColumnID: "col1", Text: sp("dari fasilitator")})
	// Nobody but the author learns who wrote it, the facilitator included.
	for _, who := range []string{"pb", "not", "fac"} {
		wantReadable(t, b.snapNote(b.viewer(who), n), "anonim", nil)
		fr := b.eventFrame(ch.Event, b.viewer(who))
		wantReadable(t, fr["data"].(map[string]any)["note"].(map[string]any), "anonim", nil)
		if fr["actorId"] != nil {
			t.Errorf("%s sees actorId %v", who, fr["actorId"])
		}
	}
	wantReadable(t, b.snapNote(b.viewer("pa"), n), "anonim", &pa)
	if fr := b.eventFrame(ch.Event, b.viewer("pa")); fr["actorId"] != "pa" {
		t.Errorf("the author's own actorId = %v", fr["actorId"])
	}
	// The facilitator's own note is anonymous too.
	for _, who := range []string{"pb", "pa"} {
		wantReadable(t, b.snapNote(b.viewer(who), fch.CreatedID), "dari fasilitator", nil)
		if fr := b.eventFrame(fch.Event, b.viewer(who)); fr["actorId"] != nil {
			t.Errorf("%s sees the facilitator as author via actorId", who)
		}
	}
	wantReadable(t, b.snapNote(b.viewer("fac"), fch.CreatedID), "dari fasilitator", &fac)
	// Events by non-facilitators carry no actor for others.
	b.phase(PhaseVote)
	v := b.vote("pa", n)
	u := b.do("pb", Command{Type: "usg.score", TargetID: Str(n), U: 1, S: 2, G: 3})
	link := b.do("not", Command{Type: "record.set", Text: sp("r")})
	for _, ev := range []Event{v.Event, u.Event, link.Event} {
		for _, who := range []string{"fac", "not", "pa", "pb"} {
			fr := b.eventFrame(ev, b.viewer(who))
			self := who == ev.ActorID
			if self && fr["actorId"] != who || !self && fr["actorId"] != nil {
				t.Errorf("%s for %s: actorId = %v", ev.Name, who, fr["actorId"])
			}
		}
	}
	// The facilitator's own acts stay attributed.
	ph := b.do("fac", Command{Type: "phase.set", Phase: "discuss"})
	if fr := b.eventFrame(ph.Event, b.viewer("pb")); fr["actorId"] != "fac" {
		t.Errorf("phase.changed actorId = %v, want fac", fr["actorId"])
	}
	// Both settings at once: pb gets the hidden form, the facilitator reads
	// the text without the author, the author sees all.
	b.settings(Command{PrivateBrainstorm: bp(true)})
	both := b.note("pa", "col1", "dua-duanya")
	wantHidden(t, b.snapNote(b.viewer("pb"), both), both, "col1")
	wantReadable(t, b.snapNote(b.viewer("fac"), both), "dua-duanya", nil)
	wantReadable(t, b.snapNote(b.viewer("pa"), both), "dua-duanya", &pa)
	// Switching anonymous off attributes only what is written afterwards
	// (issue 9): a note written anonymously stays anonymous for good.
	b.settings(Command{Anonymous: bp(false)})
	wantReadable(t, b.snapNote(b.viewer("pb"), n), "anonim", nil)
	wantReadable(t, b.snapNote(b.viewer("fac"), both), "dua-duanya", nil)
	wantReadable(t, b.snapNote(b.viewer("pa"), n), "anonim", &pa)
	after := b.note("pa", "col1", "sesudahnya")
	wantReadable(t, b.snapNote(b.viewer("fac"), after), "sesudahnya", &pa)
}

// TestEveryEventProjection runs one command of every kind and checks the
// frame of each event for every viewer: the outer keys, the data keys, and
// that a replay from the stored JSON projects the same bytes.
func TestEveryEventProjection(t *testing.T) {
	b := viewBoard(t)
	col := b.created("fac", Command{Type: "column.add", Title: sp("Ekstra"), Kind: sp(KindCause)})
	b.do("fac", Command{Type: "column.update", ID: col, Title: sp("Ekstra 2")})
	n := b.note("pa", "col1", "masalah")
	inno := b.note("pb", "col2", "ide")
	b.do("pa", Command{Type: "note.update", ID: n, Text: sp("masalah 2")})
	b.do("pa", Command{Type: "note.move", ID: n, Position: fp(4)})
	b.phase(PhaseGroup)
	g := b.created("pb", Command{Type: "group.add", ColumnID: "col1", Title: sp("G"), NoteIDs: []string{n}})
	b.do("fac", Command{Type: "group.update", ID: g, Title: sp("G2")})
	b.phase(PhaseVote)
	b.vote("pa", n)
	b.do("pa", Command{Type: "usg.score", TargetID: Str(n), U: 2, S: 3, G: 4})
	b.retract("pa", n)
	l := b.created("pb", Command{Type: "link.add", FromID: inno, ToID: n})
	b.do("pb", Command{Type: "link.delete", ID: l})
	a := b.created("not", Command{Type: "action.add", Text: sp("t"), Owner: sp("o"), Due: sp("2026-12-01")})
	b.do("not", Command{Type: "action.update", ID: a, TargetID: Str(n)})
	b.do("not", Command{Type: "action.delete", ID: a})
	b.do("not", Command{Type: "record.set", TargetID: Str(n), Text: sp("rec")})
	b.do("not", Command{Type: "record.set", Text: sp("sesi")})
	b.do("fac", Command{Type: "settings.update", Anonymous: bp(true)})
	b.do("fac", Command{Type: "settings.update", Locked: bp(true)})
	b.do("fac", Command{Type: "settings.update", Locked: bp(false)})
	b.do("fac", Command{Type: "notes.reveal"})
	b.do("fac", Command{Type: "timer.start", Seconds: 90})
	b.do("fac", Command{Type: "timer.stop"})
	b.do("fac", Command{Type: "spotlight.set", TargetID: Str(n)})
	b.do("fac", Command{Type: "spotlight.set", TargetID: null()})
	b.do("fac", Command{Type: "participant.setRole", ID: "pb", Role: "notulis"})
	b.do("fac", Command{Type: "participant.setRole", ID: "pb", Role: "participant"})
	b.join("pc", "Cici", RoleParticipant)
	b.do("fac", Command{Type: "participant.remove", ID: "pc"})
	b.do("fac", Command{Type: "group.delete", ID: g})
	b.do("pa", Command{Type: "note.delete", ID: n})
	b.do("fac", Command{Type: "column.delete", ID: col})
	b.do("fac", Command{Type: "session.close"})

	dataKeys := map[string][]string{
		"note.added": {"note"}, "note.updated": {"note"}, "note.moved": {"note"}, "note.deleted": {"id"},
		"group.added": {"group", "noteIds"}, "group.updated": {"group"}, "group.deleted": {"id"},
		"vote.changed": {"targetId", "votes"}, "usg.changed": {"targetId", "usg", "usgByUnit"},
		"link.added": {"link"}, "link.deleted": {"id"},
		"action.added": {"action"}, "action.updated": {"action"}, "action.deleted": {"id"},
		"record.set": {"record"}, "participant.joined": {"participant"}, "participant.changed": {"participant"},
		"participant.removed": {"id"}, "phase.changed": {"phase"}, "settings.changed": {"revealed", "settings"},
		"notes.revealed": {"notes", "revealed"}, "timer.changed": {"timer"}, "spotlight.changed": {"targetId"},
		"column.added": {"column"}, "column.updated": {"column"}, "column.deleted": {"id"},
		"session.closed": {"closedAt"},
	}
	seen := map[string]bool{}
	for _, ev := range b.events {
		ev := ev
		seen[ev.Name] = true
		want, ok := dataKeys[ev.Name]
		if !ok {
			t.Errorf("event %s is not in the contract's list", ev.Name)
			continue
		}
		// What the store keeps and gives back.
		stored := mustJSON(t, ev.Data)
		decoded, err := DecodeEventData(ev.Name, stored)
		if err != nil {
			t.Fatalf("DecodeEventData(%s): %v", ev.Name, err)
		}
		if reflect.TypeOf(decoded) != reflect.TypeOf(ev.Data) {
			t.Errorf("%s decodes to %T, Execute made %T", ev.Name, decoded, ev.Data)
		}
		replay := ev
		replay.Data = decoded
		for _, who := range []string{"fac", "not", "pa", "pb"} {
			v := b.viewer(who)
			raw := project(t, b.s, &ev, v)
			if again := project(t, b.s, &replay, v); !bytes.Equal(raw, again) {
				t.Errorf("%s for %s: replay differs\nlive:   %s\nreplay: %s", ev.Name, who, raw, again)
			}
			fr := asMap(t, raw)
			if got, want := keysOf(fr), []string{"actorId", "data", "event", "seq", "type"}; !reflect.DeepEqual(got, want) {
				t.Errorf("%s frame keys = %v, want %v", ev.Name, got, want)
			}
			if fr["type"] != "event" || fr["event"] != ev.Name || fr["seq"] != float64(ev.Seq) {
				t.Errorf("%s frame head = %v %v %v", ev.Name, fr["type"], fr["event"], fr["seq"])
			}
			data := fr["data"].(map[string]any)
			got := keysOf(data)
			w := append([]string(nil), want...)
			switch {
			case ev.Name == "vote.changed" && who == ev.ActorID:
				w = []string{"myVotes", "targetId", "votes"}
			case ev.Name == "usg.changed" && who == ev.ActorID:
				w = []string{"myUsg", "targetId", "usg", "usgByUnit"}
			case ev.Name == "settings.changed" && ev.Data.(NotesData).Notes != nil:
				w = []string{"notes", "revealed", "settings"}
			}
			if !reflect.DeepEqual(got, w) {
				t.Errorf("%s data keys for %s = %v, want %v", ev.Name, who, got, w)
			}
			for _, bad := range []string{"voter", "scorer", "tokenHash", "hash-of-", "voterVotes"} {
				if bytes.Contains(raw, []byte(bad)) {
					t.Errorf("%s for %s carries %q: %s", ev.Name, who, bad, raw)
				}
			}
		}
	}
	for name := range dataKeys {
		if !seen[name] {
			t.Errorf("scenario never produced %s", name)
		}
	}
}

func TestProjectShapes(t *testing.T) {
	b := viewBoard(t)
	n := b.note("pa", "col1", "x")
	act := b.do("not", Command{Type: "action.add", Text: sp("t"), Owner: sp("o"), Due: sp("2026-12-01")})
	rec := b.do("not", Command{Type: "record.set", Text: sp("sesi")})
	recN := b.do("not", Command{Type: "record.set", TargetID: Str(n), Text: sp("catatan")})
	v := b.viewer("pb")
	a := b.eventFrame(act.Event, v)["data"].(map[string]any)["action"].(map[string]any)
	if got, want := keysOf(a), []string{"done", "due", "id", "owner", "targetId", "text"}; !reflect.DeepEqual(got, want) {
		t.Errorf("action keys = %v, want %v", got, want)
	}
	if a["targetId"] != nil {
		t.Errorf("action without target has targetId %v", a["targetId"])
	}
	r := b.eventFrame(rec.Event, v)["data"].(map[string]any)["record"].(map[string]any)
	if r["targetId"] != nil || r["text"] != "sesi" {
		t.Errorf("session record = %v, want targetId null", r)
	}
	r = b.eventFrame(recN.Event, v)["data"].(map[string]any)["record"].(map[string]any)
	if r["targetId"] != n {
		t.Errorf("note record = %v", r)
	}
	p := b.eventFrame(b.events[0], v)["data"].(map[string]any)["participant"].(map[string]any)
	if got, want := keysOf(p), []string{"id", "joinedAt", "name", "online", "role", "signed", "unit"}; !reflect.DeepEqual(got, want) {
		t.Errorf("participant keys = %v, want %v", got, want)
	}
	note := b.snapNote(v, n)
	for _, k := range []string{"id", "columnId", "groupId", "text", "color", "position", "authorId", "authorName", "votes", "usg"} {
		if _, ok := note[k]; !ok {
			t.Errorf("snapshot note lacks %s", k)
		}
	}
	for k := range note {
		switch k {
		case "id", "columnId", "groupId", "text", "color", "position", "authorId", "authorName", "authorUnit", "votes", "usg", "usgByUnit", "mine", "myVotes", "myUsg":
		default:
			t.Errorf("snapshot note has unexpected key %s", k)
		}
	}
	if note["groupId"] != nil {
		t.Errorf("ungrouped note groupId = %v, want null", note["groupId"])
	}
	if got, want := keysOf(note["usg"].(map[string]any)), []string{"g", "raters", "s", "total", "u"}; !reflect.DeepEqual(got, want) {
		t.Errorf("usg keys = %v, want %v", got, want)
	}
}

func TestSnapshot(t *testing.T) {
	b := viewBoard(t)
	n := b.note("pa", "col1", "x")
	n2 := b.note("pb", "col1", "y")
	g := b.created("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("G"), NoteIDs: []string{n2}})
	b.join("pc", "Cici", RoleParticipant)
	b.do("fac", Command{Type: "participant.remove", ID: "pc"})
	b.phase(PhaseVote)
	b.vote("pa", n)
	b.vote("pa", n)
	b.vote("pa", g)
	b.vote("pb", n)
	b.do("pa", Command{Type: "usg.score", TargetID: Str(n), U: 5, S: 4, G: 3})
	b.do("pa", Command{Type: "usg.score", TargetID: Str(g), U: 1, S: 1, G: 2})
	b.do("fac", Command{Type: "timer.start", Seconds: 60})

	online := func(id string) bool { return id == "pb" }
	snap := b.s.Snapshot(b.viewer("pa"), online, b.now.In(b.now.Location()))
	if snap.Seq != b.s.Seq || snap.Seq == 0 {
		t.Errorf("seq = %d, want %d", snap.Seq, b.s.Seq)
	}
	if snap.You != (You{ID: "pa", Name: "Ani Penulis", Role: RoleParticipant, VotesLeft: 2}) {
		t.Errorf("you = %+v", snap.You)
	}
	if !snap.Session.ServerTime.Equal(b.now) || snap.Session.Timer == nil || snap.Session.Phase != PhaseVote {
		t.Errorf("session = %+v", snap.Session)
	}
	var ids []string
	for _, p := range snap.Participants {
		ids = append(ids, p.ID)
		if p.Online != (p.ID == "pb") {
			t.Errorf("participant %s online = %v", p.ID, p.Online)
		}
	}
	if want := []string{"fac", "not", "pa", "pb"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("participants = %v, want %v (removed left out, join order)", ids, want)
	}
	m := asMap(t, mustJSON(t, snap))
	if got, want := keysOf(m), []string{"actions", "columns", "groups", "links", "notes", "participants", "records", "rules", "seq", "session", "you"}; !reflect.DeepEqual(got, want) {
		t.Errorf("snapshot keys = %v, want %v", got, want)
	}
	rules := m["rules"].(map[string]any)
	if len(rules) != len(commands) {
		t.Errorf("snapshot rules name %d commands, the table has %d", len(rules), len(commands))
	}
	if vote := rules["vote.cast"].(map[string]any); vote["phase"] != "vote" || len(vote["roles"].([]any)) != 3 {
		t.Errorf("rules[vote.cast] = %v, want phase vote for every role", vote)
	}
	if rec := rules["record.set"].(map[string]any); rec["lockExempt"] != true || len(rec["roles"].([]any)) != 2 {
		t.Errorf("rules[record.set] = %v, want staff, exempt from the lock", rec)
	}
	sess := m["session"].(map[string]any)
	for _, k := range []string{"id", "title", "agenda", "place", "unit", "scheduledAt", "template", "phase", "closed", "settings", "timer", "spotlight", "revealed"} {
		if _, ok := sess[k]; !ok {
			t.Errorf("snapshot session lacks %s", k)
		}
	}
	if got, want := keysOf(sess["settings"].(map[string]any)), []string{"anonymous", "apkl", "hideResults", "joiningClosed", "locked", "privateBrainstorm", "showUnits", "votesPerParticipant"}; !reflect.DeepEqual(got, want) {
		t.Errorf("settings keys = %v, want %v", got, want)
	}
	if got, want := keysOf(m["you"].(map[string]any)), []string{"id", "name", "role", "votesLeft"}; !reflect.DeepEqual(got, want) {
		t.Errorf("you keys = %v, want %v", got, want)
	}
	// Own votes and scores on notes and groups.
	note := b.snapNote(b.viewer("pa"), n)
	if note["votes"] != 3.0 || note["myVotes"] != 2.0 || note["mine"] != true {
		t.Errorf("pa's note = %v", note)
	}
	if mu := note["myUsg"].(map[string]any); mu["u"] != 5.0 || mu["s"] != 4.0 || mu["g"] != 3.0 {
		t.Errorf("myUsg = %v", mu)
	}
	for _, gv := range snap.Groups {
		if gv.ID == g && (gv.MyVotes != 1 || gv.MyUSG == nil || *gv.MyUSG != (MyUSG{1, 1, 2}) || gv.Votes != 1) {
			t.Errorf("pa's group = %+v", gv)
		}
	}
	note = b.snapNote(b.viewer("pb"), n)
	if note["myVotes"] != 1.0 || note["myUsg"] != nil || note["mine"] != nil {
		t.Errorf("pb's view of pa's note = %v", note)
	}
	if b.s.Snapshot(b.viewer("pb"), nil, b.now).You.VotesLeft != 4 {
		t.Errorf("pb votesLeft")
	}
	gs := b.s.Snapshot(b.viewer("pb"), nil, b.now).Groups
	if len(gs) != 1 || gs[0].MyVotes != 0 || gs[0].MyUSG != nil {
		t.Errorf("pb's groups = %+v", gs)
	}
	// Empty lists encode as [], never null.
	empty := newBoard(t, KindOther)
	raw := string(mustJSON(t, empty.s.Snapshot(empty.viewer("fac"), nil, t0)))
	for _, k := range []string{"groups", "notes", "links", "actions", "records"} {
		if !strings.Contains(raw, `"`+k+`":[]`) {
			t.Errorf("empty %s is not []: %s", k, raw)
		}
	}
	// A viewer who is not a participant gets no "you".
	if y := b.s.Snapshot(Viewer{ID: "ghost"}, nil, b.now).You; y != (You{}) {
		t.Errorf("ghost you = %+v", y)
	}
}

// leakScan encodes, for viewer v, every event of b (but the attendance
// events, which name everyone by contract) and the snapshot (but its
// attendance list), and fails when any of secrets occurs in the bytes.
func leakScan(t *testing.T, b *tb, v Viewer, secrets []string, onlyNoteEvents bool) {
	t.Helper()
	for _, ev := range b.events {
		if strings.HasPrefix(ev.Name, "participant.") {
			continue
		}
		if onlyNoteEvents && !strings.HasPrefix(ev.Name, "note.") {
			continue
		}
		raw := project(t, b.s, &ev, v)
		for _, s := range secrets {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("seq %d %s for %s contains %q: %s", ev.Seq, ev.Name, v.ID, s, raw)
			}
		}
	}
	if onlyNoteEvents {
		return
	}
	snap := b.s.Snapshot(v, func(string) bool { return true }, b.now)
	snap.Participants = nil
	raw := mustJSON(t, snap)
	for _, s := range secrets {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("snapshot for %s contains %q: %s", v.ID, s, raw)
		}
	}
}

// secretScenario has pa ("Siti Rahasia", id pa-7f3c) do everything a
// participant can do to her own notes.
func secretScenario(t *testing.T, anonymous bool) *tb {
	t.Helper()
	b := newBoard(t, KindProblem, KindInnovation)
	b.participant("not", "Nia Notulis", RoleNotulis)
	b.join("pa-7f3c", "Siti Rahasia", RoleParticipant)
	b.participant("pb", "Budi Pembaca", RoleParticipant)
	b.settings(Command{PrivateBrainstorm: bp(true), Anonymous: bp(anonymous)})
	pa := "pa-7f3c"
	sA := b.note(pa, "col1", "SECRET-ALPHA")
	b.do(pa, Command{Type: "note.update", ID: sA, Text: sp("SECRET-BETA"), Color: sp("green")})
	b.do(pa, Command{Type: "note.move", ID: sA, Position: fp(7)})
	gone := b.note(pa, "col1", "SECRET-GAMMA")
	b.do(pa, Command{Type: "note.move", ID: gone, ColumnID: "col2"})
	b.do(pa, Command{Type: "note.delete", ID: gone})
	inno := b.note(pa, "col2", "SECRET-DELTA")
	b.do(pa, Command{Type: "link.add", FromID: inno, ToID: sA})
	b.phase(PhaseGroup)
	g := b.created(pa, Command{Type: "group.add", ColumnID: "col1", Title: sp("kelompok"), NoteIDs: []string{sA}})
	b.do(pa, Command{Type: "note.move", ID: sA, GroupID: sp("")})
	b.phase(PhaseVote)
	b.vote(pa, sA)
	b.vote(pa, g)
	b.do(pa, Command{Type: "usg.score", TargetID: Str(sA), U: 4, S: 4, G: 4})
	b.retract(pa, g)
	b.do("not", Command{Type: "record.set", TargetID: Str(sA), Text: sp("dicatat")})
	b.do("not", Command{Type: "action.add", Text: sp("t"), Owner: sp("o"), Due: sp("2026-12-01"), TargetID: Str(sA)})
	b.do("fac", Command{Type: "spotlight.set", TargetID: Str(sA)})
	b.vote("pb", sA)
	// Others act on her note as well.
	b.do("fac", Command{Type: "note.update", ID: sA, Color: sp("blue")})
	b.do("fac", Command{Type: "settings.update", VotesPerParticipant: ip(6)})
	return b
}

// TestNoLeakAnonymousPrivate: with both settings on, no other participant
// ever receives the hidden texts, and nobody but the author (the
// facilitator included) receives her id or name outside the attendance.
func TestNoLeakAnonymousPrivate(t *testing.T) {
	b := secretScenario(t, true)
	texts := []string{"SECRET-ALPHA", "SECRET-BETA", "SECRET-GAMMA", "SECRET-DELTA"}
	author := []string{"pa-7f3c", "Siti Rahasia"}
	for _, who := range []string{"pb", "not"} {
		leakScan(t, b, b.viewer(who), append(texts, author...), false)
	}
	leakScan(t, b, b.viewer("fac"), author, false)
	// After the reveal the texts may go out, the author still not.
	b.do("fac", Command{Type: "notes.reveal"})
	for _, who := range []string{"pb", "not", "fac"} {
		leakScan(t, b, b.viewer(who), author, false)
	}
	snap := mustJSON(t, b.s.Snapshot(b.viewer("pb"), nil, b.now))
	if !bytes.Contains(snap, []byte("SECRET-BETA")) {
		t.Errorf("revealed text missing from pb's snapshot")
	}
}

// TestNoLeakPrivate: with the private brainstorm alone, hidden texts never
// reach another participant, nor does the author of a hidden note through
// any note event (actorId included).
func TestNoLeakPrivate(t *testing.T) {
	b := secretScenario(t, false)
	texts := []string{"SECRET-ALPHA", "SECRET-BETA", "SECRET-GAMMA", "SECRET-DELTA"}
	for _, who := range []string{"pb", "not"} {
		leakScan(t, b, b.viewer(who), texts, false)
		leakScan(t, b, b.viewer(who), []string{"pa-7f3c", "Siti Rahasia"}, true)
	}
}

func TestViewerOf(t *testing.T) {
	p := &Participant{ID: "x", Role: RoleNotulis}
	if v := ViewerOf(p); v != (Viewer{ID: "x", Role: RoleNotulis}) {
		t.Errorf("ViewerOf = %+v", v)
	}
}

func TestNullStringJSON(t *testing.T) {
	for in, want := range map[string]NullString{
		`{}`:                  {},
		`{"targetId":null}`:   {Set: true},
		`{"targetId":""}`:     {Set: true, Valid: true},
		`{"targetId":"abc"}`:  {Set: true, Valid: true, Value: "abc"},
		`{"targetId":"a\"b"}`: {Set: true, Valid: true, Value: `a"b`},
	} {
		var c struct {
			TargetID NullString `json:"targetId,omitzero"`
		}
		if err := json.Unmarshal([]byte(in), &c); err != nil || c.TargetID != want {
			t.Errorf("decode %s = %+v, %v; want %+v", in, c.TargetID, err, want)
		}
		out, _ := json.Marshal(c)
		if in == `{"targetId":""}` {
			continue
		}
		if string(out) != in {
			t.Errorf("encode %+v = %s, want %s", c.TargetID, out, in)
		}
	}
	var c struct {
		TargetID NullString `json:"targetId"`
	}
	if err := json.Unmarshal([]byte(`{"targetId":5}`), &c); err == nil {
		t.Errorf("number target decoded")
	}
}

// TestNoteDeletedActor: the actor of a note.deleted is mostly the note's
// author; it goes only where that author may be seen.
func TestNoteDeletedActor(t *testing.T) {
	cases := []struct {
		name       string
		private    bool
		anonymous  bool
		deleter    string
		wantActor  map[string]bool // viewer -> actorId present
		wantAuthor string
	}{
		{"open", false, false, "pa", map[string]bool{"pa": true, "pb": true, "not": true, "fac": true}, "pa"},
		{"open by facilitator", false, false, "fac", map[string]bool{"pa": true, "pb": true, "fac": true}, "pa"},
		{"private", true, false, "pa", map[string]bool{"pa": true, "pb": false, "not": false, "fac": true}, "pa"},
		{"private by facilitator", true, false, "fac", map[string]bool{"pa": false, "pb": false, "fac": true}, "fac"},
		{"anonymous", false, true, "pa", map[string]bool{"pa": true, "pb": false, "fac": false}, "pa"},
		{"anonymous by facilitator", false, true, "fac", map[string]bool{"pa": false, "pb": false, "fac": true}, "fac"},
		{"both", true, true, "pa", map[string]bool{"pa": true, "pb": false, "not": false, "fac": false}, "pa"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := viewBoard(t)
			b.settings(Command{PrivateBrainstorm: bp(c.private), Anonymous: bp(c.anonymous)})
			n := b.note(c.wantAuthor, "col1", "hapus aku")
			ch := b.do(c.deleter, Command{Type: "note.delete", ID: n})
			for who, want := range c.wantActor {
				fr := b.eventFrame(ch.Event, b.viewer(who))
				if got := fr["actorId"] != nil; got != want {
					t.Errorf("%s: actorId = %v, want present %v", who, fr["actorId"], want)
				}
				if fr["data"].(map[string]any)["id"] != n {
					t.Errorf("%s: data = %v", who, fr["data"])
				}
			}
		})
	}
}

// TestPrivateRoundEndedStaysReadable: switching the private brainstorm off
// shows every note to everyone; switching it on again hides only what is
// written from then on.
func TestPrivateRoundEndedStaysReadable(t *testing.T) {
	b := viewBoard(t)
	b.settings(Command{PrivateBrainstorm: bp(true)})
	n := b.note("pa", "col1", "putaran satu")
	wantHidden(t, b.snapNote(b.viewer("pb"), n), n, "col1")
	off := b.do("fac", Command{Type: "settings.update", PrivateBrainstorm: bp(false)})
	wantReadable(t, b.snapNote(b.viewer("pb"), n), "putaran satu", sp("pa"))
	if !bytes.Contains(project(t, b.s, &off.Event, b.viewer("pb")), []byte("putaran satu")) {
		t.Errorf("settings.changed (off) does not carry the note to pb")
	}
	b.settings(Command{PrivateBrainstorm: bp(true)})
	wantReadable(t, b.snapNote(b.viewer("pb"), n), "putaran satu", sp("pa"))
	n2 := b.note("pa", "col1", "putaran dua")
	wantHidden(t, b.snapNote(b.viewer("pb"), n2), n2, "col1")
}
