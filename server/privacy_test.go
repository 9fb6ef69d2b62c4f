package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// privacyFrames checks every frame in raw (newline-separated JSON, or one
// JSON body) about note id: no view of it names an author, and no event
// about it names authorID as its actor. It returns how many views it saw.
func privacyFrames(t *testing.T, label string, raw []byte, id, authorID string) int {
	t.Helper()
	views := 0
	for _, line := range bytes.Split(raw, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		var f any
		if err := json.Unmarshal(line, &f); err != nil {
			t.Errorf("%s: %v", label, err)
			continue
		}
		for _, nv := range noteViews(f, id) {
			views++
			if nv["authorId"] != nil || nv["authorName"] != nil {
				t.Errorf("%s: note %s names its author: %v", label, id, nv)
			}
		}
		for _, ev := range eventFrames(f) {
			if ev["actorId"] == authorID && aboutNote(ev, id) {
				t.Errorf("%s: %s about note %s names its author as actor: %v", label, ev["event"], id, ev)
			}
		}
	}
	return views
}

// eventFrames returns the event frames in f: f itself, or a welcome's replay.
func eventFrames(f any) []map[string]any {
	m, _ := f.(map[string]any)
	if m["type"] == "event" {
		return []map[string]any{m}
	}
	var out []map[string]any
	evs, _ := m["events"].([]any)
	for _, e := range evs {
		if em, ok := e.(map[string]any); ok {
			out = append(out, em)
		}
	}
	return out
}

func aboutNote(ev map[string]any, id string) bool {
	d, _ := ev["data"].(map[string]any)
	if n, ok := d["note"].(map[string]any); ok && n["id"] == id {
		return true
	}
	return d["id"] == id || d["targetId"] == id
}

// noteAuthor returns the authorId of note id in a board snapshot.
func noteAuthor(t *testing.T, board map[string]any, id string) any {
	t.Helper()
	for _, n := range board["notes"].([]any) {
		if m := n.(map[string]any); m["id"] == id {
			return m["authorId"]
		}
	}
	t.Fatalf("note %s not in the board", id)
	return nil
}

// TestAnonymousNoteStaysAnonymousOverTransports (issue 9): a note written
// while the session was anonymous names no author after anonymity is
// turned off — not in live WebSocket events (actorId included), not in a
// fresh welcome, not in a resume replay, not in GET /board, not over SSE,
// not in the minutes — while a note written afterwards does.
func TestAnonymousNoteStaysAnonymousOverTransports(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	col := tr.colIDs[0]
	tr.ok(tr.fac, "settings.update", map[string]any{"anonymous": true})
	n := tr.id(tr.par, "note.add", map[string]any{"columnId": col, "text": "ANON-NOTE"})
	gone := tr.id(tr.par, "note.add", map[string]any{"columnId": col, "text": "ANON-GONE"})
	tr.ok(tr.fac, "settings.update", map[string]any{"anonymous": false})
	// A resume from here replays what happens to the note next (a gap
	// holding the switch itself gets the full board).
	since := tr.last
	tr.ok(tr.par, "note.update", map[string]any{"id": n, "text": "ANON-NOTE-2"})
	tr.ok(tr.par, "note.move", map[string]any{"id": n, "position": 9})
	tr.ok(tr.par, "note.delete", map[string]any{"id": gone})
	after := tr.id(tr.par, "note.add", map[string]any{"columnId": col, "text": "OPEN-NOTE"})
	syncTo(tr.not, tr.last)
	syncTo(tr.fac, tr.last)

	for label, w := range map[string]*wsClient{"notulis ws": tr.not, "facilitator ws": tr.fac} {
		if privacyFrames(t, label, w.raw.Bytes(), n, tr.parID) == 0 {
			t.Errorf("%s: saw no view of the note", label)
		}
		privacyFrames(t, label, w.raw.Bytes(), gone, tr.parID)
	}
	for label, tok := range map[string]string{"notulis": tr.notTok, "facilitator": tr.s.FacilitatorToken} {
		c, w := tr.ts.connect(tr.s.ID, tok, nil)
		b := w["board"].(map[string]any)
		if noteAuthor(t, b, after) != tr.parID {
			t.Errorf("%s welcome: the note written afterwards is not attributed", label)
		}
		privacyFrames(t, label+" welcome", c.raw.Bytes(), n, tr.parID)
		r, _ := tr.ts.connect(tr.s.ID, tok, &since)
		if len(eventFrames(lastFrameOf(r.raw.Bytes()))) == 0 {
			t.Errorf("%s resume: the welcome replays nothing", label)
		}
		if privacyFrames(t, label+" resume", r.raw.Bytes(), n, tr.parID) == 0 {
			t.Errorf("%s resume: no view of the note replayed", label)
		}
		privacyFrames(t, label+" resume", r.raw.Bytes(), gone, tr.parID)

		raw, _ := json.Marshal(tr.board(tok))
		privacyFrames(t, label+" GET board", raw, n, tr.parID)
		if noteAuthor(t, tr.board(tok), after) != tr.parID {
			t.Errorf("%s GET board: the note written afterwards is not attributed", label)
		}

		sse := tr.ts.sseOpen(tr.s.ID, tok, &since, false)
		if len(eventFrames(sse.expect("welcome"))) == 0 {
			t.Errorf("%s sse: the welcome replays nothing", label)
		}
		if privacyFrames(t, label+" sse", sse.raw.Bytes(), n, tr.parID) == 0 {
			t.Errorf("%s sse: no view of the note replayed", label)
		}
		privacyFrames(t, label+" sse", sse.raw.Bytes(), gone, tr.parID)
		sse2 := tr.ts.sseOpen(tr.s.ID, tok, nil, false)
		sse2.expect("welcome")
		privacyFrames(t, label+" sse board", sse2.raw.Bytes(), n, tr.parID)
	}
	// The author still sees their own note as theirs.
	if noteAuthor(t, tr.board(tr.parTok), n) != tr.parID {
		t.Errorf("the author does not see their own note as theirs")
	}

	for _, tok := range []string{tr.notTok, tr.s.FacilitatorToken} {
		_, _, body := tr.ts.minutes(tr.s.ID, tok, "format=csv&lang=en")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			if want := map[string]string{"ANON-NOTE-2": "", "OPEN-NOTE": tr.parName}[r[2]]; r[3] != want {
				t.Errorf("csv row %q: author %q, want %q", r, r[3], want)
			}
		}
		_, _, js := tr.ts.minutes(tr.s.ID, tok, "format=json")
		var v struct {
			Board map[string]any `json:"board"`
		}
		if err := json.Unmarshal(js, &v); err != nil {
			t.Fatal(err)
		}
		if noteAuthor(t, v.Board, n) != nil || noteAuthor(t, v.Board, after) != tr.parID {
			t.Errorf("json minutes: authors %v / %v", noteAuthor(t, v.Board, n), noteAuthor(t, v.Board, after))
		}
	}
}

// TestVoteOnUnreadableNoteNamesNoActor (issue 9): vote.changed and
// usg.changed on a note the viewer may not read carry actorId null, live
// and in a replay; the author, who reads it, sees who acted.
func TestVoteOnUnreadableNoteNamesNoActor(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	tr.ok(tr.fac, "settings.update", map[string]any{"privateBrainstorm": true})
	n := tr.id(tr.par, "note.add", map[string]any{"columnId": tr.colIDs[0], "text": "PRIVATE-VOTED"})
	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "vote"})
	vote := tr.ok(tr.fac, "vote.cast", map[string]any{"targetId": n})
	score := tr.ok(tr.fac, "usg.score", map[string]any{"targetId": n, "u": 3, "s": 4, "g": 5})
	for _, seq := range []int64{num(vote["seq"]), num(score["seq"])} {
		if ev := tr.eventFor(tr.not, seq); ev["actorId"] != nil {
			t.Errorf("notulis: %s on an unreadable note names %v", ev["event"], ev["actorId"])
		}
		if ev := tr.eventFor(tr.par, seq); ev["actorId"] != tr.facID {
			t.Errorf("author: %s actorId = %v, want the facilitator", ev["event"], ev["actorId"])
		}
	}
	since := num(vote["seq"]) - 1
	sse := tr.ts.sseOpen(tr.s.ID, tr.notTok, &since, false)
	got := 0
	for _, ev := range eventFrames(sse.expect("welcome")) {
		if ev["event"] == "vote.changed" || ev["event"] == "usg.changed" {
			got++
			if ev["actorId"] != nil {
				t.Errorf("notulis sse replay: %s names %v", ev["event"], ev["actorId"])
			}
		}
	}
	if got != 2 {
		t.Errorf("sse replay held %d vote and score events, want 2", got)
	}
}

// TestNotulisMinutesOmitUnrevealedNotes (issue 9): the notulis's minutes
// hold no unrevealed private note nor its author, in all six formats; the
// facilitator's hold it, marked "(belum dibuka)".
func TestNotulisMinutesOmitUnrevealedNotes(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	tr.ok(tr.fac, "settings.update", map[string]any{"privateBrainstorm": true})
	w := tr.join("Wulan Rahasia")
	cw := tr.connect(w.Token)
	cw.ack("note.add", "w1", map[string]any{"columnId": tr.colIDs[0], "text": "PRIVATE-UNREVEALED"})
	tr.last++
	for _, f := range []string{"md", "html", "docx", "pdf", "csv", "json"} {
		for _, who := range []struct {
			role, tok string
			want      bool
		}{{"facilitator", tr.s.FacilitatorToken, true}, {"notulis", tr.notTok, false}} {
			st, _, body := tr.ts.minutes(tr.s.ID, who.tok, "format="+f)
			if st != 200 {
				t.Fatalf("%s %s: status %d", who.role, f, st)
			}
			text := minutesText(t, f, body)
			if f == "pdf" && text == "" {
				continue // no pdftotext here; the minutes package checks pdf text
			}
			if got := strings.Contains(text, "PRIVATE-UNREVEALED"); got != who.want {
				t.Errorf("%s's %s: holds the unrevealed note = %v, want %v", who.role, f, got, who.want)
			}
			if !who.want && (strings.Contains(text, "belum dibuka") || strings.Contains(text, w.ParticipantID) && f != "json") {
				t.Errorf("%s's %s carries a trace of the unrevealed note", who.role, f)
			}
			if f == "json" && !who.want && strings.Contains(text, `"hidden"`) {
				t.Errorf("notulis's json carries a hidden stub")
			}
		}
	}
}

// minutesText returns the searchable text of a minutes body: docx's
// document part, pdf's text when pdftotext is here ("" otherwise).
func minutesText(t *testing.T, format string, body []byte) string {
	t.Helper()
	switch format {
	case "docx":
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				return string(b)
			}
		}
		t.Fatal("no word/document.xml")
	case "pdf":
		return pdfText(t, body)
	}
	return string(body)
}

// TestInputSanitisedAtTheEdge (issue 9): control characters and bidi
// overrides are gone from what session creation, joining and commands
// store; newlines stay in the agenda and in note text.
func TestInputSanitisedAtTheEdge(t *testing.T) {
	ts := startServer(t, "")
	var c created
	if st := ts.do("POST", "/api/sessions", "", map[string]any{"title": "Rapat\u202E gnp.exe\x00", "template": "kosong",
		"facilitatorName": "Fasi\x1b[31m", "agenda": "1. Satu\r\n2. Dua\x07", "place": "Aula\u2066", "unit": "\u202DUnit"}, &c); st != 201 {
		t.Fatalf("create: status %d", st)
	}
	var j joined
	if st := ts.do("POST", "/api/join", "", map[string]any{"code": c.JoinCode, "name": "Bu\u2067di\x00", "unit": "Seksi\tSatu"}, &j); st != 201 {
		t.Fatalf("join: status %d", st)
	}
	cj, w := ts.connect(c.ID, j.Token, nil)
	cj.ack("note.add", "n1", map[string]any{"columnId": columnIDs(w)[0], "text": "baris\u202E satu\x00\nbaris dua"})
	var b map[string]any
	ts.do("GET", "/api/sessions/"+c.ID+"/board", c.FacilitatorToken, nil, &b)
	s := b["session"].(map[string]any)
	for k, want := range map[string]string{"title": "Rapat gnp.exe", "agenda": "1. Satu\n2. Dua", "place": "Aula", "unit": "Unit"} {
		if s[k] != want {
			t.Errorf("session %s = %q, want %q", k, s[k], want)
		}
	}
	names := map[string]string{}
	for _, p := range b["participants"].([]any) {
		m := p.(map[string]any)
		names[m["name"].(string)] = m["unit"].(string)
	}
	if u, ok := names["Budi"]; !ok || u != "Seksi Satu" {
		t.Errorf("participants %v, want Budi of Seksi Satu", names)
	}
	if _, ok := names["Fasi[31m"]; !ok {
		t.Errorf("participants %v, want the facilitator as Fasi[31m", names)
	}
	if got := b["notes"].([]any)[0].(map[string]any)["text"]; got != "baris satu\nbaris dua" {
		t.Errorf("note text %q", got)
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext, or returns "" when
// it is not installed.
func pdfText(t *testing.T, body []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return ""
	}
	in := filepath.Join(t.TempDir(), "m.pdf")
	if err := os.WriteFile(in, body, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// lastFrameOf decodes the last frame of raw.
func lastFrameOf(raw []byte) any {
	lines := bytes.Split(bytes.TrimSpace(raw), []byte{'\n'})
	var f any
	_ = json.Unmarshal(lines[len(lines)-1], &f)
	return f
}
