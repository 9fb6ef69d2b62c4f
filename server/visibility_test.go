package server_test

import (
	"bytes"
	"testing"
)

// Leak tests: every raw byte a viewer received (live frames, welcome
// snapshots, resume replays, the HTTP snapshot) is scanned for a private
// note's secret text and for a hidden author's id and name. The author's
// id and name may appear only where participants are listed (presence,
// participant events, the snapshot's participant list).

// leakSetup is a trio plus the author whose notes are to be hidden.
type leakSetup struct {
	*trio
	au       joined
	auName   string
	auC      *wsClient
	hidden   []string // the author's id and name
	prob     string
	innov    string
	sinceOld int64 // a seq from before the author wrote anything
	revealed bool  // a reveal happened after sinceOld
}

func newLeakSetup(t *testing.T, settings map[string]any) *leakSetup {
	t.Helper()
	tr := newTrio(t, "masalah-inovasi")
	l := &leakSetup{trio: tr, auName: "Penulis Rahasia Qz", prob: tr.cols["problem"][0], innov: tr.cols["innovation"][0]}
	l.au = tr.join(l.auName)
	l.auC = tr.connect(l.au.Token)
	l.hidden = []string{l.au.ParticipantID, l.auName}
	if settings != nil {
		tr.ok(tr.fac, "settings.update", settings)
	}
	l.sinceOld = tr.last
	return l
}

// viewers are the connections that may see neither the secret nor the author.
func (l *leakSetup) scan(label string, ws map[string]*wsClient, secrets []string) {
	l.t.Helper()
	for name, w := range ws {
		syncTo(w, l.last)
		assertNoLeak(l.t, label+": "+name, w.raw.Bytes(), secrets, l.hidden)
	}
}

// scanResume reconnects token with since and with no since, and scans both
// welcomes.
func (l *leakSetup) scanResume(label, token string, secrets []string) {
	l.t.Helper()
	since := l.sinceOld
	for _, s := range []*int64{&since, nil} {
		c, wel := l.ts.connect(l.s.ID, token, s)
		if s != nil {
			// A gap that holds a reveal is answered with the full board
			// (board.Replayable); any other with events.
			if _, full := wel["board"]; full != l.revealed {
				l.t.Fatalf("%s: resume since %d: full board %v, want %v", label, since, full, l.revealed)
			}
		}
		assertNoLeak(l.t, label+": welcome", c.raw.Bytes(), secrets, l.hidden)
		c.c.Close()
	}
	_, body := l.ts.request("GET", "/api/sessions/"+l.s.ID+"/board", authJSON(token), nil)
	if !bytes.Contains(body, []byte(`"notes"`)) {
		l.t.Fatalf("%s: GET board: %s", label, body)
	}
	assertNoLeak(l.t, label+": GET board", body, secrets, l.hidden)
}

func TestLeakPrivateBrainstorm(t *testing.T) {
	l := newLeakSetup(t, map[string]any{"privateBrainstorm": true})
	const draft, secret, gone = "DRAF-RAHASIA-91c2", "TEKS-RAHASIA-7f3a", "DIHAPUS-RAHASIA-55aa"
	secrets := []string{draft, secret, gone}

	id := l.id(l.auC, "note.add", map[string]any{"columnId": l.prob, "text": draft})
	l.ok(l.auC, "note.update", map[string]any{"id": id, "text": secret})
	l.ok(l.auC, "note.move", map[string]any{"id": id, "columnId": l.innov})
	l.ok(l.auC, "note.update", map[string]any{"id": id, "color": "pink"})
	l.ok(l.fac, "note.move", map[string]any{"id": id, "columnId": l.prob})
	id2 := l.id(l.auC, "note.add", map[string]any{"columnId": l.prob, "text": gone})
	l.ok(l.auC, "note.delete", map[string]any{"id": id2})
	mine := l.id(l.par, "note.add", map[string]any{"columnId": l.prob, "text": "punya peserta sendiri"})

	viewers := map[string]*wsClient{"participant": l.par, "notulis": l.not}
	l.scan("private, before the reveal", viewers, secrets)
	for name, w := range viewers {
		if n := assertHiddenForm(t, name, w.raw.Bytes(), id); n < 5 {
			t.Fatalf("%s saw the hidden note %d times, want once per event (5)", name, n)
		}
	}
	// The author and the facilitator read it (and the facilitator the
	// author, as the session is not anonymous); the participant its own.
	for name, w := range map[string]*wsClient{"author": l.auC, "facilitator": l.fac} {
		syncTo(w, l.last)
		if !bytes.Contains(w.raw.Bytes(), []byte(secret)) || !bytes.Contains(w.raw.Bytes(), []byte(l.au.ParticipantID)) {
			t.Fatalf("%s did not get the note's text and author", name)
		}
	}
	if n := findIn(t, l.board(l.parTok), "notes", mine); n["text"] != "punya peserta sendiri" {
		t.Fatalf("participant's own private note: %v", n)
	}
	if n := findIn(t, l.board(l.notTok), "notes", mine); n["hidden"] != true || len(n) != 3 {
		t.Fatalf("another's private note reached the notulis as %v", n)
	}
	l.scanResume("participant", l.parTok, secrets)
	l.scanResume("notulis", l.notTok, secrets)

	// The reveal delivers the current text (and, not anonymous, the author)
	// to everyone; the deleted note and the revealed note's earlier draft
	// stay unseen, live and in resumes (a gap holding the reveal gets the
	// full board, not a replay projected with today's visibility).
	l.ok(l.fac, "notes.reveal", nil)
	l.revealed = true
	for _, ev := range l.lastEvents("notes.revealed") {
		var found bool
		for _, nv := range noteViews(eventData(ev)["notes"], id) {
			found = true
			if nv["text"] != secret || nv["authorId"] != l.au.ParticipantID || nv["authorName"] != l.auName {
				t.Fatalf("revealed note %v, want text %q by %s", nv, secret, l.auName)
			}
		}
		if !found {
			t.Fatalf("notes.revealed %v without the note", ev)
		}
	}
	after := []string{gone}
	// Revealed and not anonymous: the author may now be seen. Live, the
	// draft never arrives.
	l.hidden = nil
	l.scan("after the reveal", viewers, []string{draft, gone})
	l.scanResume("participant after the reveal", l.parTok, []string{draft, gone})
	// Ending private brainstorm does not bring back deleted notes.
	l.ok(l.fac, "settings.update", map[string]any{"privateBrainstorm": false})
	l.scan("private off", viewers, after)
	l.scanResume("participant, private off", l.parTok, []string{draft, gone})
	l.checkSeq(l.fac, l.not, l.par, l.auC)
}

func TestLeakAnonymous(t *testing.T) {
	l := newLeakSetup(t, map[string]any{"anonymous": true})
	pn := l.id(l.par, "note.add", map[string]any{"columnId": l.prob, "text": "masalah peserta"})
	id := l.id(l.auC, "note.add", map[string]any{"columnId": l.prob, "text": "masalah anonim"})
	l.ok(l.auC, "note.update", map[string]any{"id": id, "text": "masalah anonim, diubah", "color": "blue"})
	l.ok(l.auC, "note.move", map[string]any{"id": id, "position": 0.5})
	in := l.id(l.auC, "note.add", map[string]any{"columnId": l.innov, "text": "inovasi anonim"})
	l.id(l.auC, "link.add", map[string]any{"fromId": in, "toId": id})
	l.ok(l.fac, "phase.set", map[string]any{"phase": "group"})
	l.ok(l.auC, "note.move", map[string]any{"id": pn, "position": 9}) // another's note
	g := l.id(l.auC, "group.add", map[string]any{"columnId": l.prob, "title": "grup anonim", "noteIds": []string{id}})
	l.ok(l.fac, "phase.set", map[string]any{"phase": "vote"})
	l.ok(l.auC, "vote.cast", map[string]any{"targetId": id})
	l.ok(l.auC, "vote.cast", map[string]any{"targetId": g})
	l.ok(l.auC, "vote.retract", map[string]any{"targetId": g})
	l.ok(l.auC, "usg.score", map[string]any{"targetId": id, "u": 5, "s": 5, "g": 5})
	tmp := l.id(l.auC, "note.add", map[string]any{"columnId": l.prob, "text": "sebentar"})
	l.ok(l.auC, "note.delete", map[string]any{"id": tmp})
	// Switching anonymous off and on again sends every note twice.
	l.ok(l.fac, "settings.update", map[string]any{"anonymous": true, "votesPerParticipant": 4})

	// Everyone but the author, the facilitator included.
	viewers := map[string]*wsClient{"participant": l.par, "notulis": l.not, "facilitator": l.fac}
	l.scan("anonymous", viewers, nil)
	// The texts do arrive; the author sees it is theirs.
	if !bytes.Contains(l.par.raw.Bytes(), []byte("masalah anonim, diubah")) {
		t.Fatalf("the participant did not get the (public) text")
	}
	for _, nv := range noteViews(decodeFrames(l.auC.raw.Bytes()), id) {
		if nv["authorId"] != l.au.ParticipantID {
			t.Fatalf("the author got its own note as %v, want its authorId", nv)
		}
	}
	for _, tok := range []string{l.parTok, l.notTok, l.s.FacilitatorToken} {
		l.scanResume("anonymous", tok, nil)
	}
	l.checkSeq(l.fac, l.not, l.par, l.auC)
}

func TestLeakPrivateAndAnonymous(t *testing.T) {
	l := newLeakSetup(t, map[string]any{"privateBrainstorm": true, "anonymous": true})
	const secret = "KEDUANYA-RAHASIA-3e0d"
	id := l.id(l.auC, "note.add", map[string]any{"columnId": l.prob, "text": secret})
	l.ok(l.auC, "note.update", map[string]any{"id": id, "color": "green"})
	viewers := map[string]*wsClient{"participant": l.par, "notulis": l.not}
	l.scan("both, before the reveal", viewers, []string{secret})
	// The facilitator reads the text but not the author.
	syncTo(l.fac, l.last)
	if !bytes.Contains(l.fac.raw.Bytes(), []byte(secret)) {
		t.Fatalf("the facilitator did not get the private text")
	}
	l.scan("facilitator, both", map[string]*wsClient{"facilitator": l.fac}, nil)
	l.scanResume("participant", l.parTok, []string{secret})
	l.scanResume("facilitator", l.s.FacilitatorToken, nil)

	l.ok(l.fac, "notes.reveal", nil)
	l.revealed = true
	for _, ev := range l.lastEvents("notes.revealed") {
		for _, nv := range noteViews(eventData(ev)["notes"], id) {
			if nv["text"] != secret || nv["authorId"] != nil || nv["authorName"] != nil {
				t.Fatalf("revealed anonymous note %v, want the text and no author", nv)
			}
		}
	}
	viewers["facilitator"] = l.fac
	l.scan("both, after the reveal", viewers, nil)
	l.scanResume("participant after the reveal", l.parTok, nil)
	l.checkSeq(l.fac, l.not, l.par, l.auC)
}
