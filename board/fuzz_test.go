package board

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// FuzzDecodeCommand: DecodeCommand never panics; what it accepts has a
// known type and a ref of 1–MaxRefLen bytes, and survives a re-encoding.
func FuzzDecodeCommand(f *testing.F) {
	for _, s := range []string{
		`{"type":"note.add","ref":"r1","columnId":"c","text":"halo","color":"pink"}`,
		`{"type":"usg.score","ref":"r","targetId":"n","u":1,"s":5,"g":3}`,
		`{"type":"record.set","ref":"r","targetId":null,"text":""}`,
		`{"type":"settings.update","ref":"r","votesPerParticipant":0,"locked":true}`,
		`{"type":"group.add","ref":"r","columnId":"c","title":"t","noteIds":["a","b"]}`,
		`{"type":"nope","ref":"r"}`, `{"type":"note.add"}`, `[]`, `null`, `{"type":"note.add","ref":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		c, err := DecodeCommand(frame)
		if err != nil {
			if code := ErrorCode(err); code != CodeInvalid && code != CodeTooLarge {
				t.Fatalf("error code %q (%v)", code, err)
			}
			if len(frame) > MaxClientFrame && ErrorCode(err) != CodeTooLarge {
				t.Fatalf("oversized frame: %v, want too_large", err)
			}
			return
		}
		if !IsCommandType(c.Type) {
			t.Fatalf("accepted unknown type %q", c.Type)
		}
		if c.Ref == "" || len(c.Ref) > MaxRefLen {
			t.Fatalf("accepted ref of %d bytes", len(c.Ref))
		}
		// What was accepted encodes and decodes to the same command.
		again, err := DecodeCommand(mustJSON(t, c))
		if err != nil && ErrorCode(err) != CodeTooLarge {
			t.Fatalf("re-decoding %+v: %v", c, err)
		}
		if err == nil && !reflect.DeepEqual(normCmd(c), normCmd(again)) {
			t.Fatalf("round trip changed the command\nfirst:  %+v\nsecond: %+v", c, again)
		}
	})
}

func normCmd(c Command) Command {
	if len(c.NoteIDs) == 0 {
		c.NoteIDs = nil
	}
	return c
}

// fuzzActors are the facilitator and two participants (pb may become the
// notulis), plus someone who never joined.
var fuzzActors = []string{"fac", "pa-2e", "pb-3d"}

// fuzzTypes is every command type in a fixed order, the common ones
// several times so random bytes reach deep boards (session.close, which
// ends everything, is rarer still: see command).
var fuzzTypes = func() []string {
	weight := map[string]int{
		"note.add": 6, "note.update": 3, "note.move": 3, "note.delete": 2, "group.add": 3,
		"vote.cast": 6, "vote.retract": 3, "usg.score": 4, "link.add": 3, "action.add": 2,
		"record.set": 2, "participant.setRole": 2, "phase.set": 4, "settings.update": 4,
		"notes.reveal": 2, "spotlight.set": 2, "apkl.score": 4, "participant.sign": 2, "participant.update": 2,
	}
	var out []string
	for t := range commands {
		out = append(out, t)
	}
	sort.Strings(out)
	var w []string
	for _, t := range out {
		for i := 0; i < max(1, weight[t]); i++ {
			w = append(w, t)
		}
	}
	return w
}()

// fuzzBytes hands out the fuzzer's bytes; 0 once they run out.
type fuzzBytes struct {
	b []byte
	i int
}

func (r *fuzzBytes) done() bool { return r.i >= len(r.b) }

func (r *fuzzBytes) next() int {
	if r.i >= len(r.b) {
		return 0
	}
	r.i++
	return int(r.b[r.i-1])
}

// fuzzRun drives a board with commands decoded from bytes and checks the
// invariants after each.
type fuzzRun struct {
	t   *testing.T
	b   *tb
	r   *fuzzBytes
	seq int // counter for unique texts
	// signs makes every signature path and NIP unique, for checkPersonal.
	signs int

	texts    map[string][]string // note id -> every text it has held
	authors  map[string]string   // note id -> author
	anon     map[string]bool     // note id -> the session was anonymous when it was written
	revealed map[string]bool     // deleted note id -> its flag when deleted
	exempt   map[string]int      // votes a participant held when the budget was last changed
	replica  map[string][]byte   // kind/id -> stored JSON, as the store would hold it
}

func (f *fuzzRun) pick(ids []string) string {
	sort.Strings(ids)
	n := f.r.next()
	if len(ids) == 0 || n%8 == 7 {
		return "missing"
	}
	return ids[n%len(ids)]
}

func (f *fuzzRun) noteID() string {
	var ids []string
	for id := range f.b.s.Notes {
		ids = append(ids, id)
	}
	return f.pick(ids)
}

func (f *fuzzRun) targetID() string {
	var ids []string
	for id := range f.b.s.Notes {
		ids = append(ids, id)
	}
	for id := range f.b.s.Groups {
		ids = append(ids, id)
	}
	return f.pick(ids)
}

func (f *fuzzRun) columnID() string {
	var ids []string
	for id := range f.b.s.Columns {
		ids = append(ids, id)
	}
	return f.pick(ids)
}

func (f *fuzzRun) groupID() *string {
	n := f.r.next()
	if n%3 == 0 {
		return nil
	}
	if n%3 == 1 {
		return sp("")
	}
	var ids []string
	for id := range f.b.s.Groups {
		ids = append(ids, id)
	}
	g := f.pick(ids)
	return &g
}

// noteText is a unique token no other text contains, or an invalid text.
func (f *fuzzRun) noteText() *string {
	switch f.r.next() % 8 {
	case 0:
		return nil
	case 1:
		return sp("  ")
	case 2:
		return sp(strings.Repeat("x", MaxNoteText+1))
	case 3: // controls and bidi overrides, which the edge removes
		f.seq++
		return sp(fmt.Sprintf(" zq%d\u202E\x00\x1b\u2066qz ", f.seq))
	}
	f.seq++
	return sp(fmt.Sprintf(" zq%dqz ", f.seq))
}

func (f *fuzzRun) otherText() *string {
	switch f.r.next() % 6 {
	case 0:
		return nil
	case 1:
		return sp("")
	}
	f.seq++
	return sp(fmt.Sprintf("other%d", f.seq))
}

func (f *fuzzRun) nullTarget() NullString {
	switch f.r.next() % 3 {
	case 0:
		return NullString{}
	case 1:
		return null()
	}
	return Str(f.targetID())
}

func (f *fuzzRun) optBool() *bool {
	switch f.r.next() % 3 {
	case 0:
		return nil
	case 1:
		return bp(false)
	}
	return bp(true)
}

// command decodes one command of type typ.
func (f *fuzzRun) command(typ string) Command {
	c := Command{Type: typ}
	switch typ {
	case "note.add":
		c.ColumnID, c.Text, c.GroupID = f.columnID(), f.noteText(), f.groupID()
		if f.r.next()%4 == 0 {
			c.Color = sp([]string{"pink", "black", "blue"}[f.r.next()%3])
		}
	case "note.update":
		c.ID, c.Text = f.noteID(), f.noteText()
		if f.r.next()%3 == 0 {
			c.Color = sp("green")
		}
	case "note.move":
		c.ID = f.noteID()
		if f.r.next()%2 == 0 {
			c.ColumnID = f.columnID()
		}
		c.GroupID = f.groupID()
		if f.r.next()%2 == 0 {
			c.Position = fp(float64(f.r.next()) / 4)
		}
	case "note.delete", "group.delete", "group.update":
		if typ == "note.delete" {
			c.ID = f.noteID()
		} else {
			var ids []string
			for id := range f.b.s.Groups {
				ids = append(ids, id)
			}
			c.ID, c.Title = f.pick(ids), f.otherText()
		}
	case "group.add":
		c.ColumnID, c.Title = f.columnID(), f.otherText()
		for n := f.r.next() % 4; n > 0; n-- {
			c.NoteIDs = append(c.NoteIDs, f.noteID())
		}
	case "vote.cast", "vote.retract":
		c.TargetID = Str(f.targetID())
	case "usg.score":
		c.TargetID = Str(f.targetID())
		c.U, c.S, c.G = f.r.next()%7, f.r.next()%7, f.r.next()%7
	case "apkl.score":
		c.TargetID = Str(f.targetID())
		// Mostly values the current mode takes, sometimes one out of range or absent.
		lo, hi := 0, 1
		if f.b.s.Session.Settings.APKL.ModeOf() == APKLScore {
			lo, hi = 1, 5
		}
		val := func() *int {
			switch n := f.r.next(); n % 12 {
			case 0:
				return nil
			case 1:
				return ip(hi + 1)
			case 2:
				return ip(lo - 1)
			default:
				return ip(lo + n/12%(hi-lo+1))
			}
		}
		c.A, c.P, c.K, c.L = val(), val(), val(), val()
	case "link.add":
		var inno []string
		for id := range f.b.s.Notes {
			if f.b.s.columnKindOf(id) == KindInnovation {
				inno = append(inno, id)
			}
		}
		c.FromID, c.ToID = f.pick(inno), f.targetID()
		// Any kind (or none, or nonsense) between any two targets too.
		switch k := f.r.next() % 6; {
		case k == 0:
		case k < 4:
			c.Kind = sp([]string{LinkCause, LinkAnswers, LinkEffect}[k-1])
			c.FromID = f.targetID()
		case k == 4:
			c.Kind = sp("blames")
		default:
			c.Kind = sp(LinkCause)
		}
	case "link.delete", "action.update", "action.delete", "action.progress":
		var ids []string
		if typ == "link.delete" {
			for id := range f.b.s.Links {
				ids = append(ids, id)
			}
		} else {
			for id := range f.b.s.Actions {
				ids = append(ids, id)
			}
		}
		c.ID = f.pick(ids)
		if typ == "action.update" {
			c.Text, c.Done, c.TargetID = f.otherText(), f.optBool(), f.nullTarget()
		}
		if typ == "action.progress" {
			c.Text = f.otherText()
			c.Status = sp([]string{StatusBelum, StatusProses, StatusSelesai, "done", ""}[f.r.next()%5])
			c.Evidence = [][]string{nil, {"https://x.go.id/a"}, {"javascript:x"}}[f.r.next()%3]
		}
	case "action.add":
		c.Text, c.Owner, c.TargetID = f.otherText(), f.otherText(), f.nullTarget()
		c.Due = sp([]string{"2026-12-01", "2026-13-01", ""}[f.r.next()%3])
	case "record.set":
		c.TargetID, c.Text = f.nullTarget(), f.otherText()
	case "participant.setRole", "participant.remove":
		c.ID = []string{"pa-2e", "pb-3d", "fac", "nope", "pb-3d", "nope"}[f.r.next()%6]
		if typ == "participant.remove" && f.r.next()%3 != 0 {
			c.ID = "nope"
		}
		c.Role = []string{"notulis", "participant", "facilitator"}[f.r.next()%3]
	case "phase.set":
		c.Phase = []string{"brainstorm", "group", "vote", "discuss", "actions", "lunch", "screen", "screen", "screen", "vote"}[f.r.next()%10]
	case "settings.update":
		c.Anonymous, c.PrivateBrainstorm, c.Locked, c.ShowUnits = f.optBool(), f.optBool(), f.optBool(), f.optBool()
		c.HideResults = f.optBool()
		if n := f.r.next(); n%2 == 0 {
			c.VotesPerParticipant = ip([]int{0, 1, 2, 3, 5, 7, MaxVotesBudget, MaxVotesBudget + 1}[n/2%8])
		}
		if n := f.r.next(); n%2 == 0 {
			c.APKL = &APKLPatch{Enabled: f.optBool()}
			if n%4 == 0 {
				c.APKL.Mode = sp([]string{APKLCheck, APKLScore, "bogus"}[n/4%3])
			}
			if n%3 == 0 {
				c.APKL.Raters = sp([]string{APKLRatersAll, APKLRatersFac}[n/3%2])
			}
			if n%5 == 0 {
				c.APKL.Scope = sp([]string{APKLScopePassed, APKLScopeAll}[n/5%2])
			}
		}
	case "session.close":
		if f.r.next()%4 != 0 {
			c.Type = "timer.stop"
		}
	case "timer.start":
		c.Seconds = []int{0, 60, MaxTimerSeconds + 1}[f.r.next()%3]
	case "spotlight.set":
		c.TargetID = f.nullTarget()
	case "participant.sign":
		// A path unique to this step, so the oracle can find it in any frame.
		n := f.r.next()
		c.Path = sp(fmt.Sprintf("M%d %dL%d 99", 200+n%90, f.signs%99, 201+n%90))
		f.signs++
		if n%5 == 0 {
			c.Path = sp("M1 1L999 1") // outside the box: refused
		}
	case "participant.update":
		n := f.r.next()
		c.NIP = sp(fmt.Sprintf("4242 %d 0%d", f.signs, n))
		f.signs++
		if n%5 == 0 {
			c.NIP = sp("NIP-42")
		}
	case "column.add", "column.update", "column.delete":
		if typ != "column.add" {
			c.ID = f.columnID()
		}
		if typ != "column.delete" {
			c.Title = f.otherText()
			if f.r.next()%2 == 0 {
				c.Kind = sp([]string{KindProblem, KindCause, KindInnovation, KindOther, "bogus"}[f.r.next()%5])
			}
		}
	}
	return c
}

// FuzzRules runs random command sequences from the facilitator and two
// participants with a fixed clock and checks, after every command: refused
// commands change nothing; accepted ones hand the store everything needed
// to rebuild the state; aggregates add up; no budget is overrun; and no
// viewer ever receives the text of a note they may not read.
func FuzzRules(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x00\x0b\x01\x03\x05\x01\x0b\x00\x04\x03\x02\x13\x01\x01\x00\x00\x17\x00\x02"))
	f.Fuzz(func(t *testing.T, data []byte) {
		runRules(t, data)
	})
}

const fuzzMaxSteps = 150

func runRules(t *testing.T, data []byte) {
	f := newFuzzRun(t, data)
	for step := 0; step < fuzzMaxSteps && !f.r.done(); step++ {
		op := f.r.next()
		actor := fuzzActors[op%len(fuzzActors)]
		if op == 255 {
			actor = "nobody"
		}
		typ := fuzzTypes[f.r.next()%len(fuzzTypes)]
		cmd := f.command(typ)
		f.step(step, actor, cmd)
	}
	f.checkReplay()
}

// newFuzzRun builds the fuzz board and its oracle's records.
func newFuzzRun(t *testing.T, data []byte) *fuzzRun {
	b := newBoard(t, KindProblem, KindInnovation, KindCause, KindEffect)
	b.participant("pa-2e", "Ani Penulis", RoleParticipant)
	b.participant("pb-3d", "Budi Pembaca", RoleParticipant)
	// Ani's unit has three people, spelled three ways, until pa-2e is
	// removed; Budi's has two, the facilitator's one: three people are left
	// without a shown unit, until pb-3d is removed.
	b.joinUnit("pc", "unit ani  penulis")
	b.joinUnit("pd", "UNIT Ani Penulis")
	b.joinUnit("pe", "Unit Budi Pembaca")
	// APKL starts on, so that random sequences reach its step often
	// (settings.update may still switch it off, change it, or gate USG).
	b.settings(Command{APKL: &APKLPatch{Enabled: bp(true)}})
	f := &fuzzRun{t: t, b: b, r: &fuzzBytes{b: data}, texts: map[string][]string{}, authors: map[string]string{}, anon: map[string]bool{},
		revealed: map[string]bool{}, exempt: map[string]int{}, replica: map[string][]byte{}}
	f.seedReplica()
	return f
}

func (f *fuzzRun) step(step int, actor string, cmd Command) {
	t, s := f.t, f.b.s
	t.Helper()
	before := dump(t, s)
	// Remember what a deletion may take with it.
	flags := map[string]bool{}
	for id, n := range s.Notes {
		flags[id] = n.Revealed
	}
	budget := s.Session.Settings.VotesPerParticipant
	wasAnonymous := s.Session.Settings.Anonymous
	cmd.Ref = fmt.Sprintf("ref-%d", step)
	ch, err := f.b.try(actor, cmd)
	what := fmt.Sprintf("step %d: %s by %s %+v", step, cmd.Type, actor, cmd)
	if err != nil {
		if ErrorCode(err) == CodeInternal {
			t.Fatalf("%s: internal error %v", what, err)
		}
		assertUnchanged(t, s, before, what)
		if ch != nil {
			t.Fatalf("%s: refused with a change", what)
		}
		return
	}
	if ch.Ref != cmd.Ref || ch.Event.ActorID != actor || !ch.Event.At.Equal(f.b.now) {
		t.Fatalf("%s: change head %+v", what, ch)
	}
	if len(s.pending) != 0 {
		t.Fatalf("%s: puts left pending", what)
	}
	// Track texts, authors and deletions for the visibility oracle.
	for id, rev := range flags {
		if _, ok := s.Notes[id]; !ok {
			f.revealed[id] = rev
		}
	}
	if d, ok := ch.Event.Data.(NoteData); ok && (cmd.Type == "note.add" || cmd.Type == "note.update") {
		f.texts[d.Note.ID] = append(f.texts[d.Note.ID], d.Note.Text)
		f.authors[d.Note.ID] = d.Note.AuthorID
		if cmd.Type == "note.add" {
			f.anon[d.Note.ID] = wasAnonymous
		}
	}
	f.checkClean(what)
	f.checkLinkKinds(what, ch)
	// Budget: no one holds more than the budget, but what they held when
	// it was lowered.
	if cmd.Type == "vote.cast" && s.VotesUsed(actor) > budget {
		t.Fatalf("%s: %d votes used, budget %d", what, s.VotesUsed(actor), budget)
	}
	// APKL: with scope "passed", USG never lands on an item that did not
	// pass; a rating always fits the mode and the raters setting.
	if cmd.Type == "usg.score" && s.ScreenedOut(cmd.TargetID.Value) {
		t.Fatalf("%s: USG accepted on an item that did not pass APKL", what)
	}
	if d, ok := ch.Event.Data.(APKLData); ok {
		st := s.Session.Settings.APKL
		lo, hi := 0, 1
		if st.ModeOf() == APKLScore {
			lo, hi = 1, 5
		}
		for _, v := range []int{d.Rating.A, d.Rating.P, d.Rating.K, d.Rating.L} {
			if v < lo || v > hi || s.Session.Phase != PhaseScreen || !st.Enabled || !s.APKLItem(d.TargetID) {
				t.Fatalf("%s: rating %+v accepted (settings %+v, phase %s)", what, d.Rating, st, s.Session.Phase)
			}
		}
		if st.RatersOf() == APKLRatersFac && actor != "fac" {
			t.Fatalf("%s: a participant rated while only the facilitator rates", what)
		}
	}
	if cmd.Type == "settings.update" {
		for id := range s.Participants {
			f.exempt[id] = s.VotesUsed(id)
		}
	}
	for id := range s.Participants {
		if used, limit := s.VotesUsed(id), max(s.Session.Settings.VotesPerParticipant, f.exempt[id]); used > limit {
			t.Fatalf("%s: %s has %d votes, budget %d (held %d when it changed)", what, id, used, s.Session.Settings.VotesPerParticipant, f.exempt[id])
		}
		if left := s.VotesLeft(id); left < 0 || left > s.Session.Settings.VotesPerParticipant {
			t.Fatalf("%s: VotesLeft(%s) = %d", what, id, left)
		}
	}
	wantConsistent(t, s)
	if t.Failed() {
		t.FailNow()
	}
	f.applyPuts(what, ch.Puts)
	f.checkViews(what, []Event{ch.Event})
	if step%10 == 9 {
		f.checkReplay()
	}
}

// seedReplica stores the starting state as the store would hold it.
func (f *fuzzRun) seedReplica() {
	s := f.b.s
	f.replica[EntSession+"/"] = mustJSON(f.t, s.Session)
	for id, p := range s.Participants {
		f.replica[EntParticipant+"/"+id] = mustJSON(f.t, p)
	}
	for id, c := range s.Columns {
		f.replica[EntColumn+"/"+id] = mustJSON(f.t, c)
	}
}

// applyPuts writes the puts to the replica and checks that a state rebuilt
// from it, as LoadState does, equals the live one.
func (f *fuzzRun) applyPuts(what string, puts []Put) {
	t := f.t
	for _, p := range puts {
		key := p.Kind + "/" + p.ID
		if p.Kind == EntSession {
			key = EntSession + "/"
		}
		if p.Value == nil {
			delete(f.replica, key)
			continue
		}
		f.replica[key] = mustJSON(t, p.Value)
	}
	var sess Session
	if err := json.Unmarshal(f.replica[EntSession+"/"], &sess); err != nil {
		t.Fatal(err)
	}
	r := NewState(sess)
	for key, raw := range f.replica {
		kind, _, _ := strings.Cut(key, "/")
		var v any
		switch kind {
		case EntSession:
			continue
		case EntParticipant:
			v = &Participant{}
		case EntColumn:
			v = &Column{}
		case EntGroup:
			v = &Group{}
		case EntNote:
			v = &Note{}
		case EntLink:
			v = &Link{}
		case EntAction:
			v = &Action{}
		case EntRecord:
			v = &Record{}
		case EntVote:
			v = &Vote{}
		case EntScore:
			v = &Score{}
		case EntAPKL:
			v = &APKLRating{}
		default:
			t.Fatalf("%s: put of unknown kind %q", what, kind)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
		r.Load(kind, v)
	}
	r.Recount()
	r.Seq = f.b.s.Seq
	if got, want := canon(t, r), canon(t, f.b.s); got != want {
		t.Fatalf("%s: state rebuilt from the puts differs from the live state\nrebuilt: %s\nlive:    %s", what, got, want)
	}
}

// canon is dump without what the store does not keep in entity rows
// (token hashes) and without zero vote counters.
func canon(t testing.TB, s *State) string {
	t.Helper()
	used := s.votesUsed
	s.votesUsed = map[string]int{}
	for k, v := range used {
		if v != 0 {
			s.votesUsed[k] = v
		}
	}
	hashes := map[string][]byte{}
	for id, p := range s.Participants {
		hashes[id], p.TokenHash = p.TokenHash, nil
	}
	out := dump(t, s)
	s.votesUsed = used
	for id, p := range s.Participants {
		p.TokenHash = hashes[id]
	}
	return out
}

// mayRead is the contract's rule, written apart from CanRead: with the
// private brainstorm on, an unrevealed note reaches its author and the
// facilitator only.
func (f *fuzzRun) mayRead(noteID string, v Viewer) bool {
	s := f.b.s
	if !s.Session.Settings.PrivateBrainstorm {
		return true
	}
	rev := f.revealed[noteID]
	if n, ok := s.Notes[noteID]; ok {
		rev = n.Revealed
	}
	return rev || v.ID == f.authors[noteID] || s.Participants[v.ID].Role == RoleFacilitator
}

// checkViews projects events and the snapshot for every viewer and looks
// for the texts of notes the viewer may not read, and for authors the
// viewer may not learn.
func (f *fuzzRun) checkViews(what string, events []Event) {
	t, s := f.t, f.b.s
	for _, id := range fuzzActors {
		v := ViewerOf(s.Participants[id])
		var secrets []string
		for nid, texts := range f.texts {
			if !f.mayRead(nid, v) {
				secrets = append(secrets, texts...)
			}
		}
		scan := func(where string, raw []byte) {
			for _, sec := range secrets {
				if bytes.Contains(raw, []byte(sec)) {
					t.Fatalf("%s: %s for %s holds hidden text %q: %s", what, where, id, sec, raw)
				}
			}
		}
		for i := range events {
			ev := &events[i]
			own := s.ClassOf(ev, v)
			out := s.Project(ev, own)
			raw := mustJSON(t, out)
			// The shared encoding the server sends is exactly the viewer's own.
			if shared := mustJSON(t, s.Project(ev, s.SharedOf(ev, own))); !bytes.Equal(shared, raw) {
				t.Fatalf("%s: event %d %s for %s: shared encoding\n%s\nwant\n%s", what, ev.Seq, ev.Name, id, shared, raw)
			}
			scan(fmt.Sprintf("event %d %s", ev.Seq, ev.Name), raw)
			f.checkResults(fmt.Sprintf("%s: event %d %s for %s", what, ev.Seq, ev.Name, id), v, out.Data)
			f.checkActor(what, ev, v, out)
			f.checkEventAuthors(what, ev, v, out)
		}
		snap := s.Snapshot(v, nil, t0)
		scan("snapshot", mustJSON(t, snap))
		f.checkResults(fmt.Sprintf("%s: snapshot for %s", what, id), v, snap)
		f.checkPersonal(what, v, events)
		for _, n := range snap.Notes {
			nv, ok := n.(NoteView)
			if !ok {
				continue
			}
			author := s.Notes[nv.ID].AuthorID
			if nv.AuthorID != nil && author != v.ID && !f.maySeeAuthor(nv.ID, v) {
				t.Fatalf("%s: snapshot for %s names %s as author of %s", what, id, *nv.AuthorID, nv.ID)
			}
			if want := f.maySeeUnit(nv.ID, v); (nv.AuthorUnit != "") != want {
				t.Fatalf("%s: snapshot for %s gives %s the unit %q, want shown=%v", what, id, nv.ID, nv.AuthorUnit, want)
			}
		}
	}
}

// checkResults: while results are hidden (the rule written apart from
// ResultsHidden), a participant's frame or snapshot holds no vote count or
// USG total other than zero — anywhere in it, own counts (myVotes, myUsg)
// aside.
func (f *fuzzRun) checkResults(what string, v Viewer, data any) {
	st, ph := f.b.s.Session.Settings, f.b.s.Session.Phase
	if !st.HideResults || ph != PhaseVote && ph != PhaseScreen || v.Role != RoleParticipant {
		return
	}
	var walk func(x any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, y := range x {
				switch k {
				case "votes", "total", "raters", "u", "s", "g":
					if y != 0.0 {
						f.t.Fatalf("%s: %s = %v while results are hidden", what, k, y)
					}
				case "myVotes", "myUsg", "myApkl", "you", "rules", "settings", "apkl":
					continue
				}
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	var x any
	if err := json.Unmarshal(mustJSON(f.t, data), &x); err != nil {
		f.t.Fatal(err)
	}
	walk(x)
}

// checkPersonal: no frame or snapshot carries a signature or NIP of
// someone else to a viewer who is neither the facilitator nor the notulis
// (the rule written apart from MaySeePersonal).
func (f *fuzzRun) checkPersonal(what string, v Viewer, events []Event) {
	t, s := f.t, f.b.s
	if v.Role == RoleFacilitator || v.Role == RoleNotulis {
		return
	}
	var secrets []string
	for id, p := range s.Participants {
		if id == v.ID {
			continue
		}
		for _, sec := range []string{p.Signature, p.NIP} {
			if sec != "" {
				secrets = append(secrets, sec)
			}
		}
	}
	raws := [][]byte{mustJSON(t, s.Snapshot(v, nil, t0))}
	for i := range events {
		raws = append(raws, mustJSON(t, s.Project(&events[i], s.ClassKey(&events[i], v))))
	}
	for _, raw := range raws {
		for _, sec := range secrets {
			if bytes.Contains(raw, []byte(sec)) {
				t.Fatalf("%s: a frame for %s holds another's personal data %q: %s", what, v.ID, sec, raw)
			}
		}
	}
}

// maySeeAuthor is the contract's author rule, written apart from
// CanSeeAuthor: a reader learns who wrote a note unless the session is
// anonymous now or was when the note was written (issue 9: a note written
// anonymously stays anonymous for good).
func (f *fuzzRun) maySeeAuthor(noteID string, v Viewer) bool {
	return f.mayRead(noteID, v) && !f.b.s.Session.Settings.Anonymous && !f.anon[noteID]
}

// maySeeUnit is the unit rule, written apart from CanSeeUnit: a reader
// learns the unit of a note's author when the author has one and either
// may learn the author, or — an anonymous note — units are shown, the
// unit has at least three people not removed (spellings folded), and the
// people left without a shown unit are none or at least three.
func (f *fuzzRun) maySeeUnit(noteID string, v Viewer) bool {
	s := f.b.s
	author := s.Participants[f.authors[noteID]]
	key := strings.ToLower(strings.Join(strings.Fields(author.Unit), " "))
	if key == "" || !f.mayRead(noteID, v) {
		return false
	}
	if author.ID == v.ID || f.maySeeAuthor(noteID, v) {
		return true
	}
	fold := func(u string) string { return strings.ToLower(strings.Join(strings.Fields(u), " ")) }
	size := map[string]int{}
	for _, p := range s.Participants {
		if !p.Removed && fold(p.Unit) != "" {
			size[fold(p.Unit)]++
		}
	}
	// Those whose unit is never shown must be none or at least three, or
	// the others' units would name them by elimination.
	left := 0
	for _, p := range s.Participants {
		if !p.Removed && size[fold(p.Unit)] < 3 {
			left++
		}
	}
	return s.Session.Settings.ShowUnits && size[key] >= 3 && (left == 0 || left >= 3)
}

// checkEventAuthors: no note an event carries names an author the viewer
// may not learn, nor a unit: a unit of fewer than three people is never
// attached to an anonymous note for anyone but its author.
func (f *fuzzRun) checkEventAuthors(what string, ev *Event, v Viewer, out OutEvent) {
	m, _ := out.Data.(map[string]any)
	var views []any
	if n, ok := m["note"]; ok {
		views = append(views, n)
	}
	if ns, ok := m["notes"].([]any); ok {
		views = append(views, ns...)
	}
	for _, x := range views {
		nv, ok := x.(NoteView)
		if ok && nv.AuthorID != nil && *nv.AuthorID != v.ID && !f.maySeeAuthor(nv.ID, v) {
			f.t.Fatalf("%s: %s for %s names %s as author of %s", what, ev.Name, v.ID, *nv.AuthorID, nv.ID)
		}
		if ok && nv.AuthorUnit != "" && !f.maySeeUnit(nv.ID, v) {
			f.t.Fatalf("%s: %s for %s gives %s the unit %q", what, ev.Name, v.ID, nv.ID, nv.AuthorUnit)
		}
	}
}

// checkClean: no stored text holds a control character (but newline and
// tab in multi-line text) or a bidi override.
func (f *fuzzRun) checkClean(what string) {
	s := f.b.s
	bad := func(text string, multiline bool) bool {
		for _, r := range text {
			if r == '\n' || r == '\t' {
				if !multiline {
					return true
				}
				continue
			}
			if dropped(r) {
				return true
			}
		}
		return false
	}
	var found []string
	for _, n := range s.Notes {
		if bad(n.Text, true) {
			found = append(found, n.Text)
		}
	}
	for _, g := range s.Groups {
		if bad(g.Title, false) {
			found = append(found, g.Title)
		}
	}
	for _, c := range s.Columns {
		if bad(c.Title, false) {
			found = append(found, c.Title)
		}
	}
	for _, a := range s.Actions {
		if bad(a.Text, true) || bad(a.Owner, false) {
			found = append(found, a.Text, a.Owner)
		}
	}
	for _, r := range s.Records {
		if bad(r.Text, true) {
			found = append(found, r.Text)
		}
	}
	if len(found) > 0 {
		f.t.Fatalf("%s: stored text holds control characters: %q", what, found)
	}
}

// checkActor: the actor of an event reaches a viewer only when it reveals
// no author the viewer may not see.
func (f *fuzzRun) checkActor(what string, ev *Event, v Viewer, out OutEvent) {
	s := f.b.s
	if out.ActorID == nil || *out.ActorID == v.ID {
		return
	}
	actorRole := s.Participants[ev.ActorID].Role
	if s.Session.Settings.Anonymous && actorRole != RoleFacilitator {
		f.t.Fatalf("%s: %s for %s names actor %s while anonymous", what, ev.Name, v.ID, ev.ActorID)
	}
	var noteID string
	var targets []string // notes or groups voted on, scored or linked
	switch d := ev.Data.(type) {
	case NoteData:
		noteID = d.Note.ID
	case IDData:
		if ev.Name == "note.deleted" {
			noteID = d.ID
		}
	case VoteData:
		targets = []string{d.TargetID}
	case USGData:
		targets = []string{d.TargetID}
	case LinkData:
		targets = []string{d.Link.FromID, d.Link.ToID}
	}
	for _, target := range targets {
		if _, isNote := f.authors[target]; isNote && !f.mayRead(target, v) {
			f.t.Fatalf("%s: %s for %s names the actor %s on a note it may not read", what, ev.Name, v.ID, ev.ActorID)
		}
		if f.authors[target] == ev.ActorID && !f.maySeeAuthor(target, v) {
			f.t.Fatalf("%s: %s for %s names the withheld author %s of %s", what, ev.Name, v.ID, ev.ActorID, target)
		}
	}
	if noteID != "" && f.authors[noteID] == ev.ActorID && (s.Session.Settings.Anonymous || f.anon[noteID]) {
		f.t.Fatalf("%s: %s for %s names the author %s of an anonymous note", what, ev.Name, v.ID, ev.ActorID)
	}
	if noteID != "" && f.authors[noteID] == ev.ActorID && !f.mayRead(noteID, v) {
		f.t.Fatalf("%s: %s for %s names the author %s of a hidden note", what, ev.Name, v.ID, ev.ActorID)
	}
}

// checkReplay re-projects the whole log for today's state, as a resume does.
func (f *fuzzRun) checkReplay() {
	f.checkViews("replay", f.b.events)
}

// TestRulesSequences runs the fuzz body on fixed inputs, so the invariants
// are checked by plain go test too (the corpus under testdata adds more).
func TestRulesSequences(t *testing.T) {
	for i := 0; i < 40; i++ {
		data := make([]byte, 600)
		x := uint32(i*2654435761 + 1)
		for j := range data {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			data[j] = byte(x)
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) { runRules(t, data) })
	}
}

// checkLinkKinds: every link has a known kind, and a link made now is
// valid for the column kinds of its two ends (kinds are checked when a
// link is made; a later move keeps it).
func (f *fuzzRun) checkLinkKinds(what string, ch *Change) {
	for _, l := range f.b.s.Links {
		if !linkKinds[l.Kind] {
			f.t.Fatalf("%s: link %s has kind %q", what, l.ID, l.Kind)
		}
	}
	if d, ok := ch.Event.Data.(LinkData); ok {
		s, l := f.b.s, d.Link
		if l.FromID == l.ToID || !ValidLinkKind(l.Kind, s.columnKindOf(l.FromID), s.columnKindOf(l.ToID)) {
			f.t.Fatalf("%s: accepted a %s link %s (%s) → %s (%s)", what, l.Kind,
				l.FromID, s.columnKindOf(l.FromID), l.ToID, s.columnKindOf(l.ToID))
		}
	}
}
