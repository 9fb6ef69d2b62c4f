package board

import (
	"bytes"
	"encoding/json"
	"testing"
)

// replayed returns ev as the store gives it back: its data encoded and
// decoded again, so what a resume replays is what is checked.
func replayed(t *testing.T, ev Event) Event {
	t.Helper()
	data, err := DecodeEventData(ev.Name, mustJSON(t, ev.Data))
	if err != nil {
		t.Fatalf("decode %s: %v", ev.Name, err)
	}
	ev.Data = data
	return ev
}

// TestAnonymousNoteStaysAnonymous (issue 9): a note written while the
// session was anonymous keeps its author withheld after anonymity is
// turned off — in snapshots, in every event about it (live and replayed),
// through actorId, and in the settings.changed that carries every note;
// notes written afterwards are attributed.
func TestAnonymousNoteStaysAnonymous(t *testing.T) {
	b := viewBoard(t)
	const author, name = "pa", "Ani Penulis"
	b.settings(Command{Anonymous: bp(true)})
	n := b.note(author, "col1", "ditulis anonim")
	fn := b.note("fac", "col1", "fasilitator anonim")
	gone := b.note(author, "col1", "akan dihapus")
	off := b.do("fac", Command{Type: "settings.update", Anonymous: bp(false)})
	if !b.s.Notes[n].Anonymous || !b.s.Notes[fn].Anonymous {
		t.Fatalf("notes written while anonymous are not stamped")
	}
	upd := b.do(author, Command{Type: "note.update", ID: n, Text: sp("diubah penulisnya")})
	mv := b.do(author, Command{Type: "note.move", ID: n, Position: fp(9)})
	del := b.do(author, Command{Type: "note.delete", ID: gone})
	after := b.note(author, "col1", "ditulis sesudahnya")
	if b.s.Notes[after].Anonymous {
		t.Fatalf("a note written after anonymity was off is stamped anonymous")
	}

	// The stamp survives the store: a state rebuilt from the note's JSON
	// keeps it.
	var back Note
	if err := json.Unmarshal(mustJSON(t, b.s.Notes[n]), &back); err != nil || !back.Anonymous {
		t.Fatalf("the stored note lost its stamp: %+v, %v", back, err)
	}

	about := []Event{b.eventsNamed("note.added", n), off.Event, upd.Event, mv.Event, del.Event}
	for _, who := range []string{"pb", "not", "fac"} {
		v := b.viewer(who)
		wantReadable(t, b.snapNote(v, n), "diubah penulisnya", nil)
		wantReadable(t, b.snapNote(v, after), "ditulis sesudahnya", sp(author))
		for _, ev := range about {
			for _, e := range []Event{ev, replayed(t, ev)} {
				raw := project(t, b.s, &e, v)
				for _, secret := range []string{`"` + author + `"`, name} {
					if bytes.Contains(raw, []byte(secret)) {
						t.Errorf("%s for %s carries %s: %s", e.Name, who, secret, raw)
					}
				}
			}
		}
	}
	// The view says which notes were written anonymously, for the page.
	if m := b.snapNote(b.viewer("pb"), n); m["anonymous"] != true {
		t.Errorf("a note written anonymously lacks anonymous: true: %v", m)
	}
	if m := b.snapNote(b.viewer("pb"), after); m["anonymous"] != nil {
		t.Errorf("a note written afterwards carries anonymous: %v", m)
	}
	// The facilitator's own anonymous note: nobody else learns it is theirs.
	for _, who := range []string{"pa", "pb", "not"} {
		wantReadable(t, b.snapNote(b.viewer(who), fn), "fasilitator anonim", nil)
	}
	// The author still sees their own.
	wantReadable(t, b.snapNote(b.viewer(author), n), "diubah penulisnya", sp(author))
	if fr := b.eventFrame(upd.Event, b.viewer(author)); fr["actorId"] != author {
		t.Errorf("the author's own note.updated: actorId = %v", fr["actorId"])
	}
	// The log keeps the deleted note's stamp, but never sends it.
	if d := del.Event.Data.(IDData); !d.Anonymous {
		t.Errorf("note.deleted of an anonymous note does not record it")
	}
	if raw := project(t, b.s, &del.Event, b.viewer("pb")); bytes.Contains(raw, []byte("anonymous")) {
		t.Errorf("note.deleted sends its stamp: %s", raw)
	}
}

// eventsNamed returns the first event called name about note id.
func (b *tb) eventsNamed(name, id string) Event {
	b.t.Helper()
	for _, ev := range b.events {
		if d, ok := ev.Data.(NoteData); ok && ev.Name == name && d.Note.ID == id {
			return ev
		}
	}
	b.t.Fatalf("no %s about %s", name, id)
	return Event{}
}

// TestOwnAnonymousNoteActs: voting on, scoring or linking one's own note
// written anonymously names nobody to others, after anonymity is off; a
// link to a note the viewer may not read names nobody either.
func TestOwnAnonymousNoteActs(t *testing.T) {
	b := viewBoard(t)
	b.settings(Command{Anonymous: bp(true)})
	n := b.note("pa", "col1", "masalah anonim")
	inno := b.note("pa", "col2", "ide anonim")
	b.settings(Command{Anonymous: bp(false)})
	open := b.note("pb", "col1", "masalah terbuka")
	link := b.do("pa", Command{Type: "link.add", FromID: inno, ToID: open})
	b.phase(PhaseVote)
	acts := []*Change{link, b.vote("pa", n), b.do("pa", Command{Type: "usg.score", TargetID: Str(n), U: 2, S: 2, G: 2})}
	for _, ch := range acts {
		for _, who := range []string{"pb", "not", "fac"} {
			if fr := b.eventFrame(ch.Event, b.viewer(who)); fr["actorId"] != nil {
				t.Errorf("%s by the author of an anonymous note, for %s: actorId = %v", ch.Event.Name, who, fr["actorId"])
			}
		}
		if fr := b.eventFrame(ch.Event, b.viewer("pa")); fr["actorId"] != "pa" {
			t.Errorf("%s for its actor: actorId = %v", ch.Event.Name, fr["actorId"])
		}
	}
	// Others acting on it are named as usual.
	if fr := b.eventFrame(b.vote("pb", n).Event, b.viewer("not")); fr["actorId"] != "pb" {
		t.Errorf("pb's vote on the anonymous note: actorId = %v, want pb", fr["actorId"])
	}

	// A link to a private note the viewer may not read names nobody.
	b.phase(PhaseBrainstorm)
	b.settings(Command{PrivateBrainstorm: bp(true)})
	hidden := b.note("pb", "col1", "rahasia")
	l := b.do("fac", Command{Type: "link.add", FromID: inno, ToID: hidden})
	if fr := b.eventFrame(l.Event, b.viewer("not")); fr["actorId"] != nil {
		t.Errorf("link to an unrevealed note, for the notulis: actorId = %v", fr["actorId"])
	}
	if fr := b.eventFrame(l.Event, b.viewer("pb")); fr["actorId"] != "fac" {
		t.Errorf("link to an unrevealed note, for its author: actorId = %v, want fac", fr["actorId"])
	}
}

// TestAnonymousStampOnOldNote: a note written before anonymity was turned
// on is withheld while it is on (as before) and named again once it is off
// — the stamp records when a note was written, nothing else.
func TestAnonymousStampOnOldNote(t *testing.T) {
	b := viewBoard(t)
	n := b.note("pa", "col1", "terbuka")
	b.settings(Command{Anonymous: bp(true)})
	wantReadable(t, b.snapNote(b.viewer("pb"), n), "terbuka", nil)
	b.settings(Command{Anonymous: bp(false)})
	wantReadable(t, b.snapNote(b.viewer("pb"), n), "terbuka", sp("pa"))
}

// TestVoteActorOnUnreadableNote (issue 9): vote.changed and usg.changed on
// a note the viewer may not read carry no actorId; on a readable note, and
// for the actor itself, they do. A replay after the note is gone names
// nobody to others.
func TestVoteActorOnUnreadableNote(t *testing.T) {
	b := viewBoard(t)
	open := b.note("pb", "col1", "terbuka")
	b.settings(Command{PrivateBrainstorm: bp(true)})
	hidden2 := b.note("pa", "col1", "rahasia dua")
	b.phase(PhaseVote)
	events := []*Change{
		b.vote("fac", hidden2),
		b.do("fac", Command{Type: "usg.score", TargetID: Str(hidden2), U: 3, S: 3, G: 3}),
		b.vote("pa", hidden2),
	}
	for _, ch := range events {
		ev := ch.Event
		for who, want := range map[string]bool{"pb": false, "not": false, "fac": true, "pa": true} {
			if fr := b.eventFrame(ev, b.viewer(who)); (fr["actorId"] != nil) != want {
				t.Errorf("%s by %s on an unrevealed note, for %s: actorId = %v, want present %v", ev.Name, ev.ActorID, who, fr["actorId"], want)
			}
		}
	}
	// On a note everyone reads, the actor is named as before.
	ok := b.vote("fac", open)
	if fr := b.eventFrame(ok.Event, b.viewer("pb")); fr["actorId"] != "fac" {
		t.Errorf("vote on a readable note: actorId = %v, want fac", fr["actorId"])
	}
	// The note is deleted: a replay of the vote names nobody to others.
	b.do("pa", Command{Type: "note.delete", ID: hidden2})
	if fr := b.eventFrame(events[0].Event, b.viewer("pb")); fr["actorId"] != nil {
		t.Errorf("replayed vote on a deleted note: actorId = %v", fr["actorId"])
	}
	if fr := b.eventFrame(events[0].Event, b.viewer("fac")); fr["actorId"] != "fac" {
		t.Errorf("the voter's own replayed vote: actorId = %v", fr["actorId"])
	}
}
