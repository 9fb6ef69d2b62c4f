package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// badSetup is a session with a sender of bad frames (a participant with a
// note), a bystander (another participant with a note) and the
// facilitator; every bad frame must leave all three working and the board
// unchanged.
type badSetup struct {
	tr          *trio
	bad, by     *wsClient
	col, col2   string
	mine, other string // a note of bad's participant, a note of by's
	sent        int    // commands sent on bad
	clock       *testClock
}

// fresh moves the clock on and gives the bad sender a new connection now
// and then, so the per-person command rate (20/s, burst 40) is never what
// answers.
func (b *badSetup) fresh() {
	b.tr.t.Helper()
	if b.sent++; b.sent < 12 {
		return
	}
	b.clock.advance(2 * time.Second)
	old := b.bad
	b.bad = b.tr.connect(b.tr.parTok)
	old.c.Close()
	b.sent = 0
	// The bystander's old connection stays (its seq is checked at the
	// end); a new one sends.
	b.by = b.tr.connect(b.tr.notTok)
}

func newBadSetup(t *testing.T) *badSetup {
	t.Helper()
	clock := newTestClock()
	tr := newTrio(t, "masalah-inovasi", clock.use())
	b := &badSetup{tr: tr, bad: tr.par, by: tr.not, col: tr.colIDs[0], col2: tr.colIDs[1], clock: clock}
	b.mine = tr.id(b.bad, "note.add", map[string]any{"columnId": b.col, "text": "catatan saya"})
	b.other = tr.id(b.by, "note.add", map[string]any{"columnId": b.col, "text": "catatan orang lain"})
	return b
}

// stillWorks checks that the bad sender and the bystander are both still
// served and that nothing was stored in between (the acks take the next
// seqs).
func (b *badSetup) stillWorks(label string) {
	b.tr.t.Helper()
	b.tr.ok(b.by, "note.update", map[string]any{"id": b.other, "text": "masih jalan " + label})
	b.tr.ok(b.bad, "note.update", map[string]any{"id": b.mine, "text": "masih jalan " + label})
}

// sendBad sends one frame of message type mt and returns the error frame
// it gets.
func (b *badSetup) sendBad(mt int, frame []byte) map[string]any {
	b.tr.t.Helper()
	b.fresh()
	if err := b.bad.c.WriteMessage(mt, frame); err != nil {
		b.tr.t.Fatalf("send: %v", err)
	}
	f := nextNonEvent(b.bad)
	if f["type"] != "error" {
		b.tr.t.Fatalf("got %v, want an error frame", f)
	}
	return f
}

// Every malformed frame and every invalid note command gets the contract's
// error, changes nothing, and leaves the sender's and the others'
// connections working.
func TestWSBadFramesChangeNothing(t *testing.T) {
	b := newBadSetup(t)
	emoji := func(n int) string { return strings.Repeat("😀", n) }
	raw := []struct {
		name  string
		mt    int
		frame string
		ref   string
		code  string
	}{
		{"not JSON", websocket.TextMessage, "{not json", "", "invalid"},
		{"empty frame", websocket.TextMessage, "", "", "invalid"},
		{"JSON array", websocket.TextMessage, "[1,2,3]", "", "invalid"},
		{"JSON string", websocket.TextMessage, `"note.add"`, "", "invalid"},
		{"JSON null", websocket.TextMessage, "null", "", "invalid"},
		{"empty object", websocket.TextMessage, "{}", "", "invalid"},
		{"unknown type", websocket.TextMessage, `{"type":"note.explode","ref":"u1"}`, "u1", "invalid"},
		{"type not a string", websocket.TextMessage, `{"type":5,"ref":"u2"}`, "", "invalid"},
		{"hello again", websocket.TextMessage, `{"type":"hello","token":"x","ref":"u3"}`, "u3", "invalid"},
		{"event frame echoed", websocket.TextMessage, `{"type":"event","seq":1,"ref":"u4"}`, "u4", "invalid"},
		{"missing ref", websocket.TextMessage, fmt.Sprintf(`{"type":"note.add","columnId":%q,"text":"x"}`, b.col), "", "invalid"},
		{"empty ref", websocket.TextMessage, fmt.Sprintf(`{"type":"note.add","ref":"","columnId":%q,"text":"x"}`, b.col), "", "invalid"},
		{"ref too long", websocket.TextMessage, fmt.Sprintf(`{"type":"note.add","ref":%q,"columnId":%q,"text":"x"}`, strings.Repeat("r", 101), b.col), "", "invalid"},
		{"ref not a string", websocket.TextMessage, fmt.Sprintf(`{"type":"note.add","ref":7,"columnId":%q,"text":"x"}`, b.col), "", "invalid"},
		{"text not a string", websocket.TextMessage, fmt.Sprintf(`{"type":"note.add","ref":"u5","columnId":%q,"text":5}`, b.col), "", "invalid"},
		{"trailing garbage", websocket.TextMessage, fmt.Sprintf(`{"type":"note.add","ref":"u6","columnId":%q,"text":"x"} {}`, b.col), "", "invalid"},
		{"binary frame", websocket.BinaryMessage, fmt.Sprintf(`{"type":"note.add","ref":"u7","columnId":%q,"text":"x"}`, b.col), "", "invalid"},
		{"invalid UTF-8", websocket.TextMessage, fmt.Sprintf("{\"type\":\"note.add\",\"ref\":\"u8\",\"columnId\":%q,\"text\":\"\xff\xfe\"}", b.col), "", "invalid"},
		{"over 16 KiB", websocket.TextMessage, fmt.Sprintf(`{"type":"note.add","ref":"u9","columnId":%q,"text":%q}`, b.col, strings.Repeat("x", 16<<10)), "", "too_large"},
	}
	for _, c := range raw {
		f := b.sendBad(c.mt, []byte(c.frame))
		if f["code"] != c.code {
			t.Fatalf("%s: got %v, want code %s", c.name, f, c.code)
		}
		if c.ref != "" && f["ref"] != c.ref {
			t.Fatalf("%s: error ref %v, want %s", c.name, f["ref"], c.ref)
		}
		if m, _ := f["message"].(string); m == "" || strings.Contains(m, "json:") || strings.Contains(m, "invalid character") {
			t.Fatalf("%s: message %q is empty or internal", c.name, m)
		}
		b.stillWorks(c.name)
	}

	type cmdCase struct {
		name   string
		typ    string
		fields map[string]any
		code   string
	}
	cmds := []cmdCase{
		{"add: no columnId", "note.add", map[string]any{"text": "x"}, "not_found"},
		{"add: unknown column", "note.add", map[string]any{"columnId": "00000000-0000-4000-8000-000000000000", "text": "x"}, "not_found"},
		{"add: no text", "note.add", map[string]any{"columnId": b.col}, "invalid"},
		{"add: null text", "note.add", map[string]any{"columnId": b.col, "text": nil}, "invalid"},
		{"add: empty text", "note.add", map[string]any{"columnId": b.col, "text": ""}, "invalid"},
		{"add: white space", "note.add", map[string]any{"columnId": b.col, "text": " \t\n\u00a0\u3000 "}, "invalid"},
		{"add: 1001 ascii", "note.add", map[string]any{"columnId": b.col, "text": strings.Repeat("a", 1001)}, "invalid"},
		{"add: 1001 emoji", "note.add", map[string]any{"columnId": b.col, "text": emoji(1001)}, "invalid"},
		{"add: invalid color", "note.add", map[string]any{"columnId": b.col, "text": "x", "color": "red"}, "invalid"},
		{"add: empty color", "note.add", map[string]any{"columnId": b.col, "text": "x", "color": ""}, "invalid"},
		{"add: unknown group", "note.add", map[string]any{"columnId": b.col, "text": "x", "groupId": "nope"}, "not_found"},
		{"update: no id", "note.update", map[string]any{"text": "x"}, "not_found"},
		{"update: unknown id", "note.update", map[string]any{"id": "nope", "text": "x"}, "not_found"},
		{"update: nothing to change", "note.update", map[string]any{"id": b.mine}, "invalid"},
		{"update: empty text", "note.update", map[string]any{"id": b.mine, "text": "  "}, "invalid"},
		{"update: 1001 code points", "note.update", map[string]any{"id": b.mine, "text": emoji(1001)}, "invalid"},
		{"update: invalid color", "note.update", map[string]any{"id": b.mine, "color": "#ff0000"}, "invalid"},
		{"update: another's note", "note.update", map[string]any{"id": b.other, "text": "x"}, "forbidden"},
		{"move: no id", "note.move", map[string]any{"columnId": b.col2}, "not_found"},
		{"move: unknown id", "note.move", map[string]any{"id": "nope", "columnId": b.col2}, "not_found"},
		{"move: unknown column", "note.move", map[string]any{"id": b.mine, "columnId": "nope"}, "not_found"},
		{"move: unknown group", "note.move", map[string]any{"id": b.mine, "groupId": "nope"}, "not_found"},
		{"move: another's note", "note.move", map[string]any{"id": b.other, "columnId": b.col2}, "forbidden"},
		{"delete: no id", "note.delete", nil, "not_found"},
		{"delete: unknown id", "note.delete", map[string]any{"id": "nope"}, "not_found"},
		{"delete: another's note", "note.delete", map[string]any{"id": b.other}, "forbidden"},
		{"group.add: not in phase group", "group.add", map[string]any{"columnId": b.col, "title": "G", "noteIds": []string{b.mine}}, "wrong_phase"},
		{"facilitator command", "phase.set", map[string]any{"phase": "vote"}, "forbidden"},
	}
	for _, c := range cmds {
		b.fresh()
		b.tr.refuse(b.bad, c.typ, c.fields, c.code)
		b.stillWorks(c.name)
	}

	// The limits' edges are accepted: 1000 emoji (4000 bytes), 1000
	// code points after trimming, one code point.
	for i, text := range []string{emoji(1000), "  " + strings.Repeat("é", 1000) + "\n", "x"} {
		b.fresh()
		id := b.tr.id(b.bad, "note.add", map[string]any{"columnId": b.col, "text": text, "color": "green"})
		ev := b.tr.eventFor(b.bad, b.tr.last)
		note := ev["data"].(map[string]any)["note"].(map[string]any)
		if note["id"] != id || note["text"] != strings.TrimSpace(text) {
			t.Fatalf("edge %d: stored %v, want the trimmed text", i, note)
		}
	}
	b.tr.checkSeq(b.tr.fac, b.tr.not, b.by, b.bad)
}

// Ten bad frames in a row close the connection with 1008; a good frame in
// between resets the count; the others are not affected.
func TestWSTooManyBadFrames(t *testing.T) {
	b := newBadSetup(t)
	b.sent = -1000 // one connection throughout: the count is per connection
	for i := 0; i < 9; i++ {
		b.sendBad(websocket.TextMessage, []byte("nope"))
	}
	b.stillWorks("after nine")
	for i := 0; i < 9; i++ {
		b.sendBad(websocket.TextMessage, []byte("nope"))
	}
	// A refused but well-formed command is not a bad frame.
	b.tr.refuse(b.bad, "note.delete", map[string]any{"id": b.other}, "forbidden")
	b.sendBad(websocket.TextMessage, []byte("nope"))
	b.stillWorks("after nine and a refusal")
	for i := 0; i < 10; i++ {
		if err := b.bad.c.WriteMessage(websocket.TextMessage, []byte("nope")); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if code := closeWithin(t, b.bad, 5*time.Second); code != 1008 {
		t.Fatalf("close code %d, want 1008", code)
	}
	errs := 0
	for _, f := range decodeFrames(b.bad.raw.Bytes()) {
		if f["type"] == "error" {
			errs++
		}
	}
	for {
		select {
		case fr := <-b.bad.frames:
			if strings.Contains(string(fr), `"type":"error"`) {
				errs++
			}
			continue
		default:
		}
		break
	}
	if want := 9 + 9 + 1 + 1 + 10; errs != want {
		t.Errorf("got %d error frames, want %d (one per bad frame)", errs, want)
	}
	b.tr.ok(b.by, "note.update", map[string]any{"id": b.other, "text": "yang lain tetap jalan"})
	b.tr.ok(b.tr.fac, "note.update", map[string]any{"id": b.mine, "text": "fasilitator tetap jalan"})
	b.tr.checkSeq(b.tr.fac, b.by)
}

// A frame over the 64 KiB read limit closes only that connection, with 1009.
func TestWSHugeFrameCloses1009(t *testing.T) {
	b := newBadSetup(t)
	huge := fmt.Sprintf(`{"type":"note.add","ref":"h","columnId":%q,"text":%q}`, b.col, strings.Repeat("x", 65<<10))
	b.bad.c.WriteMessage(websocket.TextMessage, []byte(huge)) // the server may close while we write
	if code := closeWithin(t, b.bad, 5*time.Second); code != 1009 {
		t.Fatalf("close code %d (%v), want 1009", code, b.bad.closeErr)
	}
	b.tr.ok(b.by, "note.update", map[string]any{"id": b.other, "text": "tetap jalan"})
	// The participant reconnects and goes on.
	c := b.tr.connect(b.tr.parTok)
	b.tr.ok(c, "note.update", map[string]any{"id": b.mine, "text": "lagi"})
	b.tr.checkSeq(b.tr.fac, b.by, c)
}

// The handshake: a bad token gets unauthorized and 1008; a first frame that
// is not a hello gets invalid and 1008.
func TestWSHelloErrors(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	other := ts.create("kosong")
	p := ts.join(s.JoinCode, "Ani")
	watcher, w := ts.connect(s.ID, s.FacilitatorToken, nil)
	col := columnIDs(w)[0]
	cases := []struct {
		name    string
		session string
		frame   string
		code    string
	}{
		{"bad token", s.ID, `{"type":"hello","token":"bukan-token"}`, "unauthorized"},
		{"other session's token", s.ID, fmt.Sprintf(`{"type":"hello","token":%q}`, other.FacilitatorToken), "unauthorized"},
		{"token on another session", other.ID, fmt.Sprintf(`{"type":"hello","token":%q}`, p.Token), "unauthorized"},
		{"unknown session", "00000000-0000-4000-8000-000000000000", fmt.Sprintf(`{"type":"hello","token":%q}`, p.Token), "unauthorized"},
		{"no token", s.ID, `{"type":"hello"}`, "invalid"},
		{"token not a string", s.ID, `{"type":"hello","token":5}`, "invalid"},
		{"command first", s.ID, fmt.Sprintf(`{"type":"note.add","ref":"a","columnId":%q,"text":"x","token":%q}`, col, p.Token), "invalid"},
		{"not JSON", s.ID, `hello`, "invalid"},
	}
	for _, c := range cases {
		cl := ts.dial(c.session)
		cl.send(c.frame)
		f := cl.next()
		if f["type"] != "error" || f["code"] != c.code {
			t.Fatalf("%s: got %v, want error %s", c.name, f, c.code)
		}
		if code := closeWithin(t, cl, 5*time.Second); code != 1008 {
			t.Fatalf("%s: close code %d, want 1008", c.name, code)
		}
	}
	// Nothing of this reached the session.
	a := watcher.ack("note.add", "w1", map[string]any{"columnId": col, "text": "masih sepi"})
	if got, want := num(a["seq"]), num(w["board"].(map[string]any)["seq"])+1; got != want {
		t.Fatalf("ack seq %d, want %d", got, want)
	}
	// And the right token still gets in.
	c2, wel := ts.connect(s.ID, p.Token, nil)
	if wel["board"] == nil {
		t.Fatalf("welcome %v without a board", wel)
	}
	c2.ack("note.add", "p1", map[string]any{"columnId": col, "text": "halo"})
}

// A connection that says nothing is closed with 1008 (policy) after the
// 10 s hello deadline, as the protocol documents.
func TestWSNoHelloTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 10 s hello deadline")
	}
	t.Parallel()
	ts := startServer(t, "")
	s := ts.create("kosong")
	start := time.Now()
	cl := ts.dial(s.ID)
	select {
	case <-cl.closed:
	case <-time.After(13 * time.Second):
		t.Fatalf("a silent connection is still open after 13 s")
	}
	if d := time.Since(start); d < 9*time.Second {
		t.Fatalf("closed after %v, before the 10 s hello deadline", d)
	}
	if code := closeCode(cl.closeErr); code != 1008 {
		t.Fatalf("silent connection closed with %d (%v), want 1008", code, cl.closeErr)
	}
	// A client that does say hello in time stays.
	c, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
	c.ack("timer.start", "t", map[string]any{"seconds": 60})
}

// Commands over the per-connection rate get rate_limited with their ref
// (so a client knows which to resend), change nothing, do not count as bad
// frames, and the connection goes on once the rate allows.
func TestWSRateLimitedCarriesRef(t *testing.T) {
	clock := newTestClock()
	tr := newTrio(t, "kosong", clock.use())
	col := tr.colIDs[0]
	const n = 70
	for i := 0; i < n; i++ {
		tr.par.send(map[string]any{"type": "note.add", "ref": fmt.Sprint("rl", i), "columnId": col, "text": fmt.Sprint("banjir ", i)})
	}
	answers := map[string]string{}
	acks := 0
	for len(answers) < n {
		f := tr.par.next()
		if f["type"] != "ack" && f["type"] != "error" {
			continue
		}
		ref, _ := f["ref"].(string)
		if !strings.HasPrefix(ref, "rl") {
			t.Fatalf("answer %v without the command's ref", f)
		}
		if _, dup := answers[ref]; dup {
			t.Fatalf("two answers for %s", ref)
		}
		if f["type"] == "ack" {
			answers[ref] = "ack"
			acks++
		} else if f["code"] == "rate_limited" {
			answers[ref] = "rate_limited"
		} else {
			t.Fatalf("got %v, want ack or rate_limited", f)
		}
	}
	if acks == n || acks < 40 {
		t.Fatalf("%d of %d commands acked, want the burst of 40 (and a few more) but not all", acks, n)
	}
	tr.last += int64(acks)
	// Only the acked commands were stored and broadcast.
	syncTo(tr.fac, tr.last)
	added := 0
	for _, f := range decodeFrames(tr.fac.raw.Bytes()) {
		if f["event"] == "note.added" {
			added++
		}
	}
	if added != acks {
		t.Fatalf("facilitator got %d note.added, want %d (the acked ones)", added, acks)
	}
	clock.advance(1100 * time.Millisecond)
	tr.ok(tr.par, "note.add", map[string]any{"columnId": col, "text": "setelah jeda"})
	tr.checkSeq()
}

// A command with a field of the wrong JSON type is refused as invalid with
// its ref, so the client knows which command it was.
func TestWSMistypedFieldCarriesRef(t *testing.T) {
	tr := newTrio(t, "kosong")
	col := tr.colIDs[0]
	for i, frame := range []string{
		fmt.Sprintf(`{"type":"note.add","ref":"m1","columnId":%q,"text":5}`, col),
		`{"type":"timer.start","ref":"m2","seconds":"60"}`,
		`{"type":"settings.update","ref":"m3","locked":"yes"}`,
		`{"type":"usg.score","ref":"m4","targetId":"x","u":2.5,"s":1,"g":1}`,
		`{"type":"group.add","ref":"m5","columnId":"c","title":"t","noteIds":"a"}`,
	} {
		tr.fac.send(frame)
		f := nextNonEvent(tr.fac)
		if f["type"] != "error" || f["code"] != "invalid" || f["ref"] != fmt.Sprint("m", i+1) {
			t.Fatalf("%s: got %v, want error invalid with ref m%d", frame, f, i+1)
		}
	}
	tr.ok(tr.fac, "timer.start", map[string]any{"seconds": 60})
	tr.checkSeq()
}
