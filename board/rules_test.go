package board

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// votingBoard is a board in phase vote with participants pa and pb, the
// notulis not, two problem notes and a group.
func votingBoard(t *testing.T) (b *tb, n1, n2, g string) {
	t.Helper()
	b = newBoard(t, KindProblem, KindInnovation)
	b.participant("not", "Nia", RoleNotulis)
	b.participant("pa", "Ani", RoleParticipant)
	b.participant("pb", "Budi", RoleParticipant)
	n1 = b.note("pa", "col1", "satu")
	n2 = b.note("pb", "col1", "dua")
	g = b.created("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("G"), NoteIDs: []string{n2}})
	b.phase(PhaseVote)
	return b, n1, n2, g
}

func (b *tb) vote(actor, target string) *Change {
	b.t.Helper()
	return b.do(actor, Command{Type: "vote.cast", TargetID: Str(target)})
}

func (b *tb) retract(actor, target string) *Change {
	b.t.Helper()
	return b.do(actor, Command{Type: "vote.retract", TargetID: Str(target)})
}

func (b *tb) wantVotes(pid string, used, left int) {
	b.t.Helper()
	if got := b.s.VotesUsed(pid); got != used {
		b.t.Errorf("VotesUsed(%s) = %d, want %d", pid, got, used)
	}
	if got := b.s.VotesLeft(pid); got != left {
		b.t.Errorf("VotesLeft(%s) = %d, want %d", pid, got, left)
	}
	if got := b.s.Snapshot(b.viewer(pid), nil, b.now).You.VotesLeft; got != left {
		b.t.Errorf("snapshot you.votesLeft for %s = %d, want %d", pid, got, left)
	}
}

func TestVoteBudget(t *testing.T) {
	for _, who := range []string{"fac", "not", "pa"} {
		t.Run(who, func(t *testing.T) {
			b, n1, n2, g := votingBoard(t)
			b.wantVotes(who, 0, 5)
			// Several votes on one target are allowed.
			for i := 1; i <= 3; i++ {
				ch := b.vote(who, n1)
				d := ch.Event.Data.(VoteData)
				if d.TargetID != n1 || d.Votes != i || d.Voter != who || d.VoterVotes != i {
					t.Fatalf("vote %d data = %+v", i, d)
				}
			}
			b.vote(who, n2)
			b.vote(who, g)
			b.wantVotes(who, 5, 0)
			b.refuse(who, Command{Type: "vote.cast", TargetID: Str(n2)}, CodeBudgetExceeded)
			// A retract frees one.
			ch := b.retract(who, n1)
			if d := ch.Event.Data.(VoteData); d.Votes != 2 || d.VoterVotes != 2 {
				t.Errorf("retract data = %+v, want votes 2, voterVotes 2", d)
			}
			b.wantVotes(who, 4, 1)
			b.vote(who, n2)
			b.wantVotes(who, 5, 0)
			if got := b.s.Notes[n1].Votes; got != 2 {
				t.Errorf("n1 votes = %d, want 2", got)
			}
			if got := b.s.Notes[n2].Votes; got != 2 {
				t.Errorf("n2 votes = %d, want 2", got)
			}
			if got := b.s.Groups[g].Votes; got != 1 {
				t.Errorf("group votes = %d, want 1", got)
			}
			// Another participant's budget is their own.
			other := "pb"
			if who == "pa" {
				other = "not"
			}
			b.vote(other, n1)
			b.wantVotes(other, 1, 4)
		})
	}
}

func TestVoteBudgetZeroTurnsVotingOff(t *testing.T) {
	b, n1, _, _ := votingBoard(t)
	b.settings(Command{VotesPerParticipant: ip(0)})
	for _, who := range []string{"fac", "not", "pa"} {
		b.refuse(who, Command{Type: "vote.cast", TargetID: Str(n1)}, CodeBudgetExceeded)
		b.wantVotes(who, 0, 0)
	}
}

func TestVoteBudgetLoweredAfterVoting(t *testing.T) {
	b, n1, n2, _ := votingBoard(t)
	for i := 0; i < 4; i++ {
		b.vote("pa", n1)
	}
	b.settings(Command{VotesPerParticipant: ip(2)})
	b.wantVotes("pa", 4, 0)
	b.refuse("pa", Command{Type: "vote.cast", TargetID: Str(n2)}, CodeBudgetExceeded)
	b.retract("pa", n1)
	b.wantVotes("pa", 3, 0)
	b.refuse("pa", Command{Type: "vote.cast", TargetID: Str(n2)}, CodeBudgetExceeded)
	b.retract("pa", n1)
	b.retract("pa", n1)
	b.wantVotes("pa", 1, 1)
	b.vote("pa", n2)
	b.wantVotes("pa", 2, 0)
	// Raising it again gives the room back.
	b.settings(Command{VotesPerParticipant: ip(MaxVotesBudget)})
	b.wantVotes("pa", 2, MaxVotesBudget-2)
}

func TestVoteRetractAndTargets(t *testing.T) {
	b, n1, n2, _ := votingBoard(t)
	b.vote("pa", n1)
	b.refuse("pa", Command{Type: "vote.retract", TargetID: Str(n2)}, CodeConflict)
	b.refuse("pb", Command{Type: "vote.retract", TargetID: Str(n1)}, CodeConflict)
	b.refuse("pa", Command{Type: "vote.cast", TargetID: Str("nope")}, CodeNotFound)
	b.refuse("pa", Command{Type: "vote.cast"}, CodeInvalid)
	b.refuse("pa", Command{Type: "vote.cast", TargetID: null()}, CodeInvalid)
	b.refuse("pa", Command{Type: "vote.retract", TargetID: Str("nope")}, CodeNotFound)
	// Retracting the last vote removes the row.
	ch := b.retract("pa", n1)
	if _, ok := b.s.Votes[voteKey("pa", n1)]; ok {
		t.Errorf("vote row kept after the last retract")
	}
	if len(ch.Puts) != 1 || ch.Puts[0].Kind != EntVote || ch.Puts[0].Value != nil {
		t.Errorf("last retract puts = %+v, want one vote deletion", ch.Puts)
	}
}

func TestSettingsBudgetRange(t *testing.T) {
	b := newBoard(t, KindProblem)
	for _, v := range []int{0, 1, 5, MaxVotesBudget} {
		b.settings(Command{VotesPerParticipant: ip(v)})
		if got := b.s.Session.Settings.VotesPerParticipant; got != v {
			t.Errorf("budget = %d, want %d", got, v)
		}
	}
	for _, v := range []int{-1, MaxVotesBudget + 1, 1000} {
		b.refuse("fac", Command{Type: "settings.update", VotesPerParticipant: ip(v), Locked: bp(true)}, CodeInvalid)
	}
}

func TestUSGScore(t *testing.T) {
	cases := []struct {
		u, s, g int
		want    string
	}{
		{1, 1, 1, ""}, {5, 5, 5, ""}, {3, 4, 2, ""},
		{0, 3, 3, CodeInvalid}, {3, 0, 3, CodeInvalid}, {3, 3, 0, CodeInvalid},
		{6, 3, 3, CodeInvalid}, {3, 6, 3, CodeInvalid}, {3, 3, 6, CodeInvalid},
		{-1, 3, 3, CodeInvalid}, {100, 100, 100, CodeInvalid},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d,%d,%d", c.u, c.s, c.g), func(t *testing.T) {
			b, n1, _, _ := votingBoard(t)
			cmd := Command{Type: "usg.score", TargetID: Str(n1), U: c.u, S: c.s, G: c.g}
			if c.want != "" {
				b.refuse("pa", cmd, c.want)
				return
			}
			ch := b.do("pa", cmd)
			d := ch.Event.Data.(USGData)
			want := USG{U: float64(c.u), S: float64(c.s), G: float64(c.g), Total: float64(c.u + c.s + c.g), Raters: 1}
			if d.USG != want || b.s.Notes[n1].USG != want {
				t.Errorf("usg = %+v (note %+v), want %+v", d.USG, b.s.Notes[n1].USG, want)
			}
			if d.Scorer != "pa" || d.Score != (Score{ParticipantID: "pa", TargetID: n1, U: c.u, S: c.s, G: c.g}) {
				t.Errorf("scorer/score = %q %+v", d.Scorer, d.Score)
			}
		})
	}
}

func TestUSGMeansAndRescore(t *testing.T) {
	b, n1, _, g := votingBoard(t)
	b.do("pa", Command{Type: "usg.score", TargetID: Str(n1), U: 5, S: 4, G: 3})
	b.do("pb", Command{Type: "usg.score", TargetID: Str(n1), U: 1, S: 2, G: 2})
	want := USG{U: 3, S: 3, G: 2.5, Total: 8.5, Raters: 2}
	if got := b.s.Notes[n1].USG; got != want {
		t.Errorf("usg = %+v, want %+v", got, want)
	}
	// A rescore replaces; it does not add a rater.
	b.do("pa", Command{Type: "usg.score", TargetID: Str(n1), U: 1, S: 1, G: 1})
	want = USG{U: 1, S: 1.5, G: 1.5, Total: 4, Raters: 2}
	if got := b.s.Notes[n1].USG; got != want {
		t.Errorf("after rescore usg = %+v, want %+v", got, want)
	}
	// Thirds round to two decimals.
	b.do("not", Command{Type: "usg.score", TargetID: Str(n1), U: 2, S: 1, G: 1})
	want = USG{U: 1.33, S: 1.33, G: 1.33, Total: 4, Raters: 3}
	if got := b.s.Notes[n1].USG; got != want {
		t.Errorf("three raters usg = %+v, want %+v", got, want)
	}
	// Groups take scores too.
	b.do("pa", Command{Type: "usg.score", TargetID: Str(g), U: 2, S: 2, G: 2})
	if got := b.s.Groups[g].USG; got.Raters != 1 || got.Total != 6 {
		t.Errorf("group usg = %+v", got)
	}
	b.refuse("pa", Command{Type: "usg.score", TargetID: Str("nope"), U: 1, S: 1, G: 1}, CodeNotFound)
	b.refuse("pa", Command{Type: "usg.score", U: 1, S: 1, G: 1}, CodeInvalid)
}

func TestUSGNonIntegerIsInvalidFrame(t *testing.T) {
	for _, frame := range []string{
		`{"type":"usg.score","ref":"r","targetId":"n","u":2.5,"s":1,"g":1}`,
		`{"type":"usg.score","ref":"r","targetId":"n","u":"3","s":1,"g":1}`,
		`{"type":"usg.score","ref":"r","targetId":"n","u":1e400,"s":1,"g":1}`,
	} {
		if _, err := DecodeCommand([]byte(frame)); ErrorCode(err) != CodeInvalid {
			t.Errorf("DecodeCommand(%s) = %v, want invalid", frame, err)
		}
	}
	c, err := DecodeCommand([]byte(`{"type":"usg.score","ref":"r","targetId":"n","u":3,"s":1,"g":5}`))
	if err != nil || c.U != 3 || c.S != 1 || c.G != 5 {
		t.Errorf("DecodeCommand(integers) = %+v, %v", c, err)
	}
}

func TestNoteTextLimits(t *testing.T) {
	emoji := func(n int) string { return strings.Repeat("😀", n) }
	cases := []struct {
		name, text, want string // want "" = refused as invalid
	}{
		{"one letter", "a", "a"},
		{"trimmed", " \t\n x \r\n", "x"},
		{"1000 ascii", strings.Repeat("a", 1000), strings.Repeat("a", 1000)},
		{"1000 ascii with spaces around", "   " + strings.Repeat("a", 1000) + "\n\n", strings.Repeat("a", 1000)},
		{"1000 emoji", emoji(1000), emoji(1000)},
		{"1000 runes of 3 bytes", strings.Repeat("一", 1000), strings.Repeat("一", 1000)},
		{"inner spaces count", "a" + strings.Repeat(" ", 998) + "b", "a" + strings.Repeat(" ", 998) + "b"},
		{"empty", "", ""},
		{"only spaces", "   \t\n", ""},
		{"unicode spaces only", "\u00a0\u2003\u3000", ""},
		{"1001 ascii", strings.Repeat("a", 1001), ""},
		{"1001 emoji", emoji(1001), ""},
		{"1001 inner spaces", "a" + strings.Repeat(" ", 999) + "b", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newBoard(t, KindProblem)
			b.participant("pa", "Ani", RoleParticipant)
			add := Command{Type: "note.add", ColumnID: "col1", Text: sp(c.text)}
			if c.want == "" {
				b.refuse("pa", add, CodeInvalid)
			} else {
				id := b.created("pa", add)
				if got := b.s.Notes[id].Text; got != c.want {
					t.Errorf("stored text has %d runes, want %d", len([]rune(got)), len([]rune(c.want)))
				}
			}
			// The same limits apply to note.update.
			id := b.note("pa", "col1", "awal")
			upd := Command{Type: "note.update", ID: id, Text: sp(c.text)}
			if c.want == "" {
				b.refuse("pa", upd, CodeInvalid)
				return
			}
			b.do("pa", upd)
			if got := b.s.Notes[id].Text; got != c.want {
				t.Errorf("updated text has %d runes, want %d", len([]rune(got)), len([]rune(c.want)))
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	cases := []struct {
		in       string
		min, max int
		want     string
		ok       bool
	}{
		{"  a  ", 1, 1, "a", true},
		{"", 0, 5, "", true},
		{"  ", 0, 5, "", true},
		{"", 1, 5, "", false},
		{"abcdef", 1, 5, "", false},
		{"ñññññ", 1, 5, "ñññññ", true},
		{"ab", 3, 5, "", false},
		{"\xff\xfe", 0, 5, "", false},
	}
	for _, c := range cases {
		got, err := CleanText("f", c.in, c.min, c.max)
		if c.ok && (err != nil || got != c.want) {
			t.Errorf("CleanText(%q,%d,%d) = %q, %v; want %q", c.in, c.min, c.max, got, err, c.want)
		}
		if !c.ok && ErrorCode(err) != CodeInvalid {
			t.Errorf("CleanText(%q,%d,%d) = %q, %v; want invalid", c.in, c.min, c.max, got, err)
		}
	}
}

func TestOtherTextLimits(t *testing.T) {
	b, n1, _, g := votingBoard(t)
	at := func(n int) *string { return sp(strings.Repeat("x", n)) }
	b.phase(PhaseGroup)
	// Titles: 1–200.
	b.refuse("pa", Command{Type: "group.add", ColumnID: "col1", Title: at(MaxTitle + 1)}, CodeInvalid)
	b.refuse("pa", Command{Type: "group.add", ColumnID: "col1", Title: sp("  ")}, CodeInvalid)
	b.refuse("pa", Command{Type: "group.add", ColumnID: "col1"}, CodeInvalid)
	b.do("pa", Command{Type: "group.add", ColumnID: "col1", Title: at(MaxTitle)})
	b.refuse("fac", Command{Type: "group.update", ID: g, Title: at(MaxTitle + 1)}, CodeInvalid)
	b.refuse("fac", Command{Type: "column.add", Title: at(MaxTitle + 1)}, CodeInvalid)
	b.refuse("fac", Command{Type: "column.add"}, CodeInvalid)
	b.refuse("fac", Command{Type: "column.update", ID: "col1", Title: sp("")}, CodeInvalid)
	b.do("fac", Command{Type: "column.add", Title: at(MaxTitle)})
	// Records: 0–5000 (empty clears).
	b.refuse("not", Command{Type: "record.set", Text: at(MaxRecordText + 1)}, CodeInvalid)
	b.refuse("not", Command{Type: "record.set"}, CodeInvalid)
	b.do("not", Command{Type: "record.set", TargetID: Str(n1), Text: at(MaxRecordText)})
	// Actions: text 1–1000, owner 1–80, due a date.
	ok := Command{Type: "action.add", Text: sp("t"), Owner: sp("o"), Due: sp("2026-12-01")}
	for _, mod := range []func(c *Command){
		func(c *Command) { c.Text = at(MaxActionText + 1) },
		func(c *Command) { c.Text = nil },
		func(c *Command) { c.Owner = at(MaxName + 1) },
		func(c *Command) { c.Owner = sp(" ") },
		func(c *Command) { c.Due = sp("2026-13-01") },
		func(c *Command) { c.Due = sp("2026-12-32") },
		func(c *Command) { c.Due = sp("01-12-2026") },
		func(c *Command) { c.Due = nil },
		func(c *Command) { c.TargetID = Str("nope") },
	} {
		c := ok
		mod(&c)
		want := CodeInvalid
		if c.TargetID.Set {
			want = CodeNotFound
		}
		b.refuse("not", c, want)
	}
	c := ok
	c.Text, c.Owner = at(MaxActionText), at(MaxName)
	b.do("not", c)
}

func TestAuthorOnlyEditDelete(t *testing.T) {
	cases := []struct {
		actor, author string
		want          string
	}{
		{"pa", "pa", ""},
		{"fac", "pa", ""},
		{"pb", "pa", CodeForbidden},
		{"not", "pa", CodeForbidden},
		{"pa", "not", CodeForbidden},
		{"not", "not", ""},
		{"pa", "fac", CodeForbidden},
		{"fac", "fac", ""},
	}
	cmds := map[string]func(id string) Command{
		"note.update": func(id string) Command { return Command{Type: "note.update", ID: id, Text: sp("baru")} },
		"note.color":  func(id string) Command { return Command{Type: "note.update", ID: id, Color: sp("pink")} },
		"note.move":   func(id string) Command { return Command{Type: "note.move", ID: id, ColumnID: "col2"} },
		"note.delete": func(id string) Command { return Command{Type: "note.delete", ID: id} },
	}
	for name, mk := range cmds {
		for _, phase := range Phases {
			for _, c := range cases {
				t.Run(fmt.Sprintf("%s/%s/%s-on-%s", name, phase, c.actor, c.author), func(t *testing.T) {
					b := newBoard(t, KindProblem, KindCause)
					b.participant("not", "Nia", RoleNotulis)
					b.participant("pa", "Ani", RoleParticipant)
					b.participant("pb", "Budi", RoleParticipant)
					id := b.note(c.author, "col1", "asli")
					b.phase(phase)
					want := c.want
					if name == "note.move" && phase == PhaseGroup {
						want = "" // in phase group anyone sorts anyone's notes
					}
					if want != "" {
						b.refuse(c.actor, mk(id), want)
						return
					}
					b.do(c.actor, mk(id))
					n := b.s.Notes[id]
					switch name {
					case "note.update":
						if n.Text != "baru" || n.AuthorID != c.author {
							t.Errorf("note = %+v", n)
						}
					case "note.color":
						if n.Color != "pink" || n.Text != "asli" {
							t.Errorf("note = %+v", n)
						}
					case "note.move":
						if n.ColumnID != "col2" || n.AuthorID != c.author {
							t.Errorf("note = %+v", n)
						}
					case "note.delete":
						if n != nil {
							t.Errorf("note still there")
						}
					}
				})
			}
		}
	}
}

func TestNoteCommandsValidation(t *testing.T) {
	b := newBoard(t, KindProblem, KindCause)
	b.participant("pa", "Ani", RoleParticipant)
	id := b.note("pa", "col1", "x")
	b.refuse("pa", Command{Type: "note.add", ColumnID: "nope", Text: sp("x")}, CodeNotFound)
	b.refuse("pa", Command{Type: "note.add", Text: sp("x")}, CodeNotFound)
	b.refuse("pa", Command{Type: "note.add", ColumnID: "col1"}, CodeInvalid)
	b.refuse("pa", Command{Type: "note.add", ColumnID: "col1", Text: sp("x"), Color: sp("black")}, CodeInvalid)
	b.refuse("pa", Command{Type: "note.add", ColumnID: "col1", Text: sp("x"), GroupID: sp("nope")}, CodeNotFound)
	b.refuse("pa", Command{Type: "note.update", ID: id}, CodeInvalid)
	b.refuse("pa", Command{Type: "note.update", ID: id, Color: sp("black")}, CodeInvalid)
	b.refuse("pa", Command{Type: "note.update", ID: "nope", Text: sp("y")}, CodeNotFound)
	b.refuse("pa", Command{Type: "note.move", ID: "nope"}, CodeNotFound)
	b.refuse("pa", Command{Type: "note.move", ID: id, ColumnID: "nope"}, CodeNotFound)
	b.refuse("pa", Command{Type: "note.delete", ID: "nope"}, CodeNotFound)
	for _, color := range []string{"yellow", "pink", "blue", "green", "orange", "purple"} {
		nid := b.created("pa", Command{Type: "note.add", ColumnID: "col1", Text: sp("c"), Color: sp(color)})
		if got := b.s.Notes[nid].Color; got != color {
			t.Errorf("color = %q, want %q", got, color)
		}
	}
	if got := b.s.Notes[id].Color; got != DefaultColor {
		t.Errorf("default color = %q, want %q", got, DefaultColor)
	}
	// Positions: after every note of the column unless given.
	n2 := b.note("pa", "col1", "y")
	if a, c := b.s.Notes[id].Position, b.s.Notes[n2].Position; c <= a {
		t.Errorf("new note position %v not after %v", c, a)
	}
	n3 := b.created("pa", Command{Type: "note.add", ColumnID: "col1", Text: sp("z"), Position: fp(0.5)})
	if got := b.s.Notes[n3].Position; got != 0.5 {
		t.Errorf("given position = %v", got)
	}
}

func TestNoteMoveInPhaseGroup(t *testing.T) {
	b := newBoard(t, KindProblem, KindCause)
	b.participant("pa", "Ani", RoleParticipant)
	b.participant("pb", "Budi", RoleParticipant)
	id := b.note("pa", "col1", "x")
	g1 := b.created("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("G1"), NoteIDs: []string{id}})
	g2 := b.created("fac", Command{Type: "group.add", ColumnID: "col2", Title: sp("G2")})
	b.refuse("pb", Command{Type: "note.move", ID: id, ColumnID: "col2"}, CodeForbidden)
	b.phase(PhaseGroup)
	// Into a group of another column: invalid.
	b.refuse("pb", Command{Type: "note.move", ID: id, GroupID: sp(g2)}, CodeInvalid)
	b.refuse("pb", Command{Type: "note.move", ID: id, GroupID: sp("nope")}, CodeNotFound)
	// A move to another column leaves the group.
	b.do("pb", Command{Type: "note.move", ID: id, ColumnID: "col2"})
	if n := b.s.Notes[id]; n.ColumnID != "col2" || n.GroupID != "" {
		t.Errorf("after move: column %q group %q", n.ColumnID, n.GroupID)
	}
	b.do("pb", Command{Type: "note.move", ID: id, GroupID: sp(g2), Position: fp(3)})
	if n := b.s.Notes[id]; n.GroupID != g2 || n.Position != 3 {
		t.Errorf("after regroup: group %q position %v", n.GroupID, n.Position)
	}
	b.do("pb", Command{Type: "note.move", ID: id, ColumnID: "col1", GroupID: sp(g1)})
	b.do("pb", Command{Type: "note.move", ID: id, GroupID: sp("")})
	if n := b.s.Notes[id]; n.ColumnID != "col1" || n.GroupID != "" {
		t.Errorf("after ungroup: %+v", n)
	}
	if n := b.s.Notes[id]; n.AuthorID != "pa" {
		t.Errorf("moving changed the author to %q", n.AuthorID)
	}
}

func TestGroupAdd(t *testing.T) {
	b := newBoard(t, KindProblem, KindCause)
	b.participant("pa", "Ani", RoleParticipant)
	n1 := b.note("pa", "col1", "a")
	n2 := b.note("fac", "col1", "b")
	other := b.note("pa", "col2", "c")
	b.phase(PhaseGroup)
	b.refuse("pa", Command{Type: "group.add", ColumnID: "col1", Title: sp("G"), NoteIDs: []string{n1, other}}, CodeInvalid)
	b.refuse("pa", Command{Type: "group.add", ColumnID: "col1", Title: sp("G"), NoteIDs: []string{n1, "nope"}}, CodeNotFound)
	b.refuse("pa", Command{Type: "group.add", ColumnID: "nope", Title: sp("G")}, CodeNotFound)
	ch := b.do("pa", Command{Type: "group.add", ColumnID: "col1", Title: sp(" G "), NoteIDs: []string{n1, n2}})
	g := ch.CreatedID
	d := ch.Event.Data.(GroupData)
	if d.Group.ID != g || d.Group.Title != "G" || len(d.NoteIDs) != 2 {
		t.Errorf("group.added data = %+v", d)
	}
	for _, id := range []string{n1, n2} {
		if got := b.s.Notes[id].GroupID; got != g {
			t.Errorf("note %s group = %q, want %q", id, got, g)
		}
	}
	g2 := b.created("pa", Command{Type: "group.add", ColumnID: "col1", Title: sp("H")})
	if b.s.Groups[g2].Position <= b.s.Groups[g].Position {
		t.Errorf("second group not after the first")
	}
	b.do("fac", Command{Type: "group.update", ID: g, Title: sp("Judul")})
	b.refuse("fac", Command{Type: "group.update", ID: "nope", Title: sp("x")}, CodeNotFound)
	b.refuse("fac", Command{Type: "group.delete", ID: "nope"}, CodeNotFound)
}

func TestFacilitatorCommandsValidation(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.participant("pa", "Ani", RoleParticipant)
	n := b.note("pa", "col1", "x")
	// Timer: 1–7200 seconds, endsAt in server time.
	for _, sec := range []int{0, -1, MaxTimerSeconds + 1} {
		b.refuse("fac", Command{Type: "timer.start", Seconds: sec}, CodeInvalid)
	}
	for _, sec := range []int{1, MaxTimerSeconds} {
		ch := b.do("fac", Command{Type: "timer.start", Seconds: sec})
		want := b.now.Add(time.Duration(sec) * time.Second)
		if tm := ch.Event.Data.(TimerData).Timer; tm == nil || !tm.EndsAt.Equal(want) || !b.s.Session.Timer.EndsAt.Equal(want) {
			t.Errorf("timer for %ds = %+v, want endsAt %v", sec, tm, want)
		}
	}
	ch := b.do("fac", Command{Type: "timer.stop"})
	if ch.Event.Data.(TimerData).Timer != nil || b.s.Session.Timer != nil {
		t.Errorf("timer.stop left a timer")
	}
	// Phases.
	b.refuse("fac", Command{Type: "phase.set", Phase: "lunch"}, CodeInvalid)
	b.refuse("fac", Command{Type: "phase.set"}, CodeInvalid)
	for _, p := range Phases {
		b.phase(p)
		if b.s.Session.Phase != p {
			t.Errorf("phase = %q, want %q", b.s.Session.Phase, p)
		}
	}
	// Roles.
	b.refuse("fac", Command{Type: "participant.setRole", ID: "pa", Role: "facilitator"}, CodeInvalid)
	b.refuse("fac", Command{Type: "participant.setRole", ID: "pa", Role: ""}, CodeInvalid)
	b.refuse("fac", Command{Type: "participant.setRole", ID: "fac", Role: "participant"}, CodeForbidden)
	b.refuse("fac", Command{Type: "participant.setRole", ID: "nope", Role: "notulis"}, CodeNotFound)
	b.refuse("fac", Command{Type: "participant.remove", ID: "fac"}, CodeForbidden)
	b.do("fac", Command{Type: "participant.setRole", ID: "pa", Role: "notulis"})
	if b.s.Participants["pa"].Role != RoleNotulis {
		t.Errorf("role not changed")
	}
	b.do("fac", Command{Type: "participant.setRole", ID: "pa", Role: "participant"})
	b.do("fac", Command{Type: "participant.remove", ID: "pa"})
	if !b.s.Participants["pa"].Removed {
		t.Errorf("participant not marked removed")
	}
	b.refuse("fac", Command{Type: "participant.remove", ID: "pa"}, CodeNotFound)
	b.refuse("fac", Command{Type: "participant.setRole", ID: "pa", Role: "notulis"}, CodeNotFound)
	// The removed participant's note stays.
	if _, ok := b.s.Notes[n]; !ok {
		t.Errorf("removing a participant removed their note")
	}
	// Spotlight.
	b.refuse("fac", Command{Type: "spotlight.set", TargetID: Str("nope")}, CodeNotFound)
	b.do("fac", Command{Type: "spotlight.set", TargetID: Str(n)})
	if sp := b.s.Session.Spotlight; sp == nil || *sp != n {
		t.Errorf("spotlight = %v", sp)
	}
	b.do("fac", Command{Type: "spotlight.set", TargetID: null()})
	if b.s.Session.Spotlight != nil {
		t.Errorf("spotlight not cleared")
	}
	// Columns.
	b.refuse("fac", Command{Type: "column.add", Title: sp("x"), Kind: sp("misc")}, CodeInvalid)
	b.refuse("fac", Command{Type: "column.update", ID: "col1", Kind: sp("misc")}, CodeInvalid)
	b.refuse("fac", Command{Type: "column.update", ID: "nope", Title: sp("x")}, CodeNotFound)
	b.refuse("fac", Command{Type: "column.delete", ID: "nope"}, CodeNotFound)
	c := b.created("fac", Command{Type: "column.add", Title: sp("Baru")})
	if col := b.s.Columns[c]; col.Kind != KindOther || col.Position <= b.s.Columns["col1"].Position {
		t.Errorf("new column = %+v", col)
	}
	b.do("fac", Command{Type: "column.update", ID: c, Kind: sp(KindInnovation), Position: fp(0)})
	if col := b.s.Columns[c]; col.Kind != KindInnovation || col.Position != 0 || col.Title != "Baru" {
		t.Errorf("updated column = %+v", col)
	}
	// Links: from an innovation to a problem or cause, once.
	inno := b.note("fac", c, "ide")
	b.refuse("fac", Command{Type: "link.add", FromID: n, ToID: inno}, CodeInvalid)
	b.refuse("fac", Command{Type: "link.add", FromID: inno, ToID: inno}, CodeInvalid)
	b.refuse("fac", Command{Type: "link.add", FromID: inno}, CodeInvalid)
	b.refuse("fac", Command{Type: "link.add", FromID: inno, ToID: "nope"}, CodeNotFound)
	l := b.created("fac", Command{Type: "link.add", FromID: inno, ToID: n})
	b.refuse("fac", Command{Type: "link.add", FromID: inno, ToID: n}, CodeConflict)
	b.do("fac", Command{Type: "link.delete", ID: l})
	b.refuse("fac", Command{Type: "link.delete", ID: l}, CodeNotFound)
	// Actions.
	b.refuse("fac", Command{Type: "action.update", ID: "nope", Done: bp(true)}, CodeNotFound)
	b.refuse("fac", Command{Type: "action.delete", ID: "nope"}, CodeNotFound)
	a := b.created("fac", Command{Type: "action.add", Text: sp("t"), Owner: sp("o"), Due: sp("2026-12-01"), TargetID: Str(n)})
	b.do("fac", Command{Type: "action.update", ID: a, TargetID: null(), Done: bp(true)})
	if got := *b.s.Actions[a]; got.TargetID != "" || !got.Done || got.Text != "t" || got.Due != "2026-12-01" {
		t.Errorf("updated action = %+v", got)
	}
	b.refuse("fac", Command{Type: "action.update", ID: a, Due: sp("x")}, CodeInvalid)
	// Records: the session's (null target) and a note's; empty clears.
	b.do("fac", Command{Type: "record.set", Text: sp("Sesi")})
	b.do("fac", Command{Type: "record.set", TargetID: Str(n), Text: sp("Catatan")})
	if b.s.Records[""].Text != "Sesi" || b.s.Records[n].Text != "Catatan" {
		t.Errorf("records = %+v", b.s.Records)
	}
	b.refuse("fac", Command{Type: "record.set", TargetID: Str("nope"), Text: sp("x")}, CodeNotFound)
	ch = b.do("fac", Command{Type: "record.set", TargetID: null(), Text: sp("  ")})
	if _, ok := b.s.Records[""]; ok {
		t.Errorf("empty record text did not clear")
	}
	if len(ch.Puts) != 1 || ch.Puts[0].Kind != EntRecord || ch.Puts[0].ID != "session" || ch.Puts[0].Value != nil {
		t.Errorf("clear puts = %+v", ch.Puts)
	}
}

// cascadeBoard has a problem note hanging on everything: votes, scores,
// an incoming link, a record, an action, the spotlight.
func cascadeBoard(t *testing.T) (b *tb, target, other, inno, g, action string) {
	t.Helper()
	b = newBoard(t, KindProblem, KindInnovation)
	b.participant("not", "Nia", RoleNotulis)
	b.participant("pa", "Ani", RoleParticipant)
	b.participant("pb", "Budi", RoleParticipant)
	target = b.note("pa", "col1", "sasaran")
	other = b.note("pb", "col1", "lain")
	inno = b.note("pb", "col2", "ide")
	g = b.created("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("G"), NoteIDs: []string{target, other}})
	b.do("pb", Command{Type: "link.add", FromID: inno, ToID: target})
	b.do("pb", Command{Type: "link.add", FromID: inno, ToID: g})
	b.do("pb", Command{Type: "link.add", FromID: inno, ToID: other})
	b.phase(PhaseVote)
	for _, who := range []string{"pa", "pb", "fac"} {
		b.vote(who, target)
		b.vote(who, target)
		b.vote(who, other)
		b.vote(who, g)
		b.do(who, Command{Type: "usg.score", TargetID: Str(target), U: 5, S: 5, G: 5})
		b.do(who, Command{Type: "usg.score", TargetID: Str(g), U: 2, S: 2, G: 2})
		b.do(who, Command{Type: "usg.score", TargetID: Str(other), U: 1, S: 1, G: 1})
	}
	b.do("not", Command{Type: "record.set", TargetID: Str(target), Text: sp("r1")})
	b.do("not", Command{Type: "record.set", TargetID: Str(g), Text: sp("r2")})
	b.do("not", Command{Type: "record.set", Text: sp("sesi")})
	action = b.created("not", Command{Type: "action.add", Text: sp("t"), Owner: sp("o"), Due: sp("2026-12-01"), TargetID: Str(target)})
	b.do("fac", Command{Type: "spotlight.set", TargetID: Str(target)})
	return b, target, other, inno, g, action
}

func putsOf(ch *Change, kind string, deleted bool) map[string]bool {
	out := map[string]bool{}
	for _, p := range ch.Puts {
		if p.Kind == kind && (p.Value == nil) == deleted {
			out[p.ID] = true
		}
	}
	return out
}

// wantConsistent checks the aggregates against a recount from scratch.
func wantConsistent(t testing.TB, s *State) {
	t.Helper()
	used := map[string]int{}
	target := map[string]int{}
	for _, v := range s.Votes {
		used[v.ParticipantID] += v.Count
		target[v.TargetID] += v.Count
		if !s.Target(v.TargetID) {
			t.Errorf("vote on missing target %s", v.TargetID)
		}
		if v.Count <= 0 {
			t.Errorf("vote row with count %d", v.Count)
		}
	}
	for pid, n := range s.votesUsed {
		if used[pid] != n {
			t.Errorf("votesUsed[%s] = %d, recount %d", pid, n, used[pid])
		}
	}
	for id, n := range s.Notes {
		if n.Votes != target[id] {
			t.Errorf("note %s votes = %d, recount %d", id, n.Votes, target[id])
		}
		if n.GroupID != "" {
			g, ok := s.Groups[n.GroupID]
			if !ok || g.ColumnID != n.ColumnID {
				t.Errorf("note %s in group %q that is missing or in another column", id, n.GroupID)
			}
		}
		if _, ok := s.Columns[n.ColumnID]; !ok {
			t.Errorf("note %s in missing column %s", id, n.ColumnID)
		}
	}
	for id, g := range s.Groups {
		if g.Votes != target[id] {
			t.Errorf("group %s votes = %d, recount %d", id, g.Votes, target[id])
		}
		if _, ok := s.Columns[g.ColumnID]; !ok {
			t.Errorf("group %s in missing column %s", id, g.ColumnID)
		}
	}
	for _, sc := range s.Scores {
		if !s.Target(sc.TargetID) {
			t.Errorf("score on missing target %s", sc.TargetID)
		}
	}
	for _, l := range s.Links {
		if !s.Target(l.FromID) || !s.Target(l.ToID) {
			t.Errorf("dangling link %+v", l)
		}
	}
	for _, a := range s.Actions {
		if a.TargetID != "" && !s.Target(a.TargetID) {
			t.Errorf("action %s targets missing %s", a.ID, a.TargetID)
		}
	}
	for tid := range s.Records {
		if tid != "" && !s.Target(tid) {
			t.Errorf("record on missing target %s", tid)
		}
	}
	if sp := s.Session.Spotlight; sp != nil && !s.Target(*sp) {
		t.Errorf("spotlight on missing target %s", *sp)
	}
	// A recount from the same rows gives the same aggregates.
	c := NewState(s.Session)
	for _, n := range s.Notes {
		cp := *n
		c.Load(EntNote, &cp)
	}
	for _, g := range s.Groups {
		cp := *g
		c.Load(EntGroup, &cp)
	}
	for _, v := range s.Votes {
		cp := *v
		c.Load(EntVote, &cp)
	}
	for _, sc := range s.Scores {
		cp := *sc
		c.Load(EntScore, &cp)
	}
	c.Recount()
	for id, n := range s.Notes {
		if got := c.Notes[id]; got.Votes != n.Votes || got.USG != n.USG {
			t.Errorf("note %s aggregates %d %+v, recount %d %+v", id, n.Votes, n.USG, got.Votes, got.USG)
		}
	}
	for id, g := range s.Groups {
		if got := c.Groups[id]; got.Votes != g.Votes || got.USG != g.USG {
			t.Errorf("group %s aggregates %d %+v, recount %d %+v", id, g.Votes, g.USG, got.Votes, got.USG)
		}
	}
}

func TestDeleteNoteCascades(t *testing.T) {
	b, target, other, _, g, action := cascadeBoard(t)
	wantConsistent(t, b.s)
	b.wantVotes("pa", 4, 1)
	ch := b.do("pa", Command{Type: "note.delete", ID: target})
	if d := ch.Event.Data.(IDData); d.ID != target {
		t.Errorf("note.deleted data = %+v", d)
	}
	if _, ok := b.s.Notes[target]; ok {
		t.Fatalf("note still there")
	}
	for k, v := range b.s.Votes {
		if v.TargetID == target {
			t.Errorf("vote %s kept", k)
		}
	}
	for k, sc := range b.s.Scores {
		if sc.TargetID == target {
			t.Errorf("score %s kept", k)
		}
	}
	if _, ok := b.s.usgSums[target]; ok {
		t.Errorf("usg sum kept")
	}
	for _, l := range b.s.Links {
		if l.ToID == target {
			t.Errorf("link %s kept", l.ID)
		}
	}
	if len(b.s.Links) != 2 {
		t.Errorf("links = %d, want the 2 to other targets", len(b.s.Links))
	}
	if _, ok := b.s.Records[target]; ok {
		t.Errorf("record kept")
	}
	if _, ok := b.s.Records[g]; !ok {
		t.Errorf("the group's record went too")
	}
	if _, ok := b.s.Records[""]; !ok {
		t.Errorf("the session's record went too")
	}
	if a := b.s.Actions[action]; a == nil || a.TargetID != "" {
		t.Errorf("action = %+v, want kept with no target", a)
	}
	if b.s.Session.Spotlight != nil {
		t.Errorf("spotlight still on %s", *b.s.Session.Spotlight)
	}
	// The votes come back to their owners.
	b.wantVotes("pa", 2, 3)
	b.wantVotes("fac", 2, 3)
	if got := b.s.Notes[other].Votes; got != 3 {
		t.Errorf("other note votes = %d, want 3", got)
	}
	if got := b.s.Notes[other].USG.Raters; got != 3 {
		t.Errorf("other note raters = %d, want 3", got)
	}
	wantConsistent(t, b.s)
	// And the store is told all of it.
	if got := putsOf(ch, EntVote, true); len(got) != 3 {
		t.Errorf("vote deletions = %v, want 3", got)
	}
	if got := putsOf(ch, EntScore, true); len(got) != 3 {
		t.Errorf("score deletions = %v, want 3", got)
	}
	if got := putsOf(ch, EntLink, true); len(got) != 1 {
		t.Errorf("link deletions = %v, want 1", got)
	}
	if got := putsOf(ch, EntRecord, true); !got[target] || len(got) != 1 {
		t.Errorf("record deletions = %v", got)
	}
	if got := putsOf(ch, EntAction, false); !got[action] {
		t.Errorf("action puts = %v", got)
	}
	if got := putsOf(ch, EntSession, false); len(got) != 1 {
		t.Errorf("session puts = %v, want the cleared spotlight", got)
	}
	if got := putsOf(ch, EntNote, true); !got[target] || len(got) != 1 {
		t.Errorf("note deletions = %v", got)
	}
}

func TestDeleteGroupCascades(t *testing.T) {
	b, target, other, _, g, _ := cascadeBoard(t)
	b.do("fac", Command{Type: "spotlight.set", TargetID: Str(g)})
	ch := b.do("fac", Command{Type: "group.delete", ID: g})
	if _, ok := b.s.Groups[g]; ok {
		t.Fatalf("group still there")
	}
	for _, id := range []string{target, other} {
		n, ok := b.s.Notes[id]
		if !ok {
			t.Fatalf("deleting a group deleted note %s", id)
		}
		if n.GroupID != "" {
			t.Errorf("note %s still in group %s", id, n.GroupID)
		}
	}
	if got := putsOf(ch, EntNote, false); !got[target] || !got[other] {
		t.Errorf("note puts = %v, want both ungrouped notes", got)
	}
	if _, ok := b.s.Records[g]; ok {
		t.Errorf("group record kept")
	}
	if b.s.Session.Spotlight != nil {
		t.Errorf("spotlight kept on deleted group")
	}
	b.wantVotes("pa", 3, 2)
	if len(b.s.Links) != 2 {
		t.Errorf("links = %d, want 2", len(b.s.Links))
	}
	wantConsistent(t, b.s)
}

func TestDeleteColumnCascades(t *testing.T) {
	b, target, other, inno, g, action := cascadeBoard(t)
	keep := b.created("fac", Command{Type: "column.add", Title: sp("Lain"), Kind: sp(KindCause)})
	kept := b.note("pa", keep, "tetap")
	ch := b.do("fac", Command{Type: "column.delete", ID: "col1"})
	for _, id := range []string{target, other} {
		if _, ok := b.s.Notes[id]; ok {
			t.Errorf("note %s of the deleted column kept", id)
		}
	}
	if _, ok := b.s.Groups[g]; ok {
		t.Errorf("group of the deleted column kept")
	}
	if _, ok := b.s.Notes[inno]; !ok {
		t.Errorf("note of another column deleted")
	}
	if _, ok := b.s.Notes[kept]; !ok {
		t.Errorf("note of another column deleted")
	}
	if len(b.s.Links) != 0 || len(b.s.Votes) != 0 || len(b.s.Scores) != 0 {
		t.Errorf("links/votes/scores left: %d/%d/%d", len(b.s.Links), len(b.s.Votes), len(b.s.Scores))
	}
	if a := b.s.Actions[action]; a.TargetID != "" {
		t.Errorf("action target kept: %q", a.TargetID)
	}
	if len(b.s.Records) != 1 {
		t.Errorf("records = %v, want the session's only", b.s.Records)
	}
	b.wantVotes("pa", 0, 5)
	if got := putsOf(ch, EntColumn, true); !got["col1"] {
		t.Errorf("column deletion not put: %v", ch.Puts)
	}
	if got := putsOf(ch, EntGroup, true); !got[g] {
		t.Errorf("group deletion not put")
	}
	wantConsistent(t, b.s)
	// The last column stays.
	b.do("fac", Command{Type: "column.delete", ID: "col2"})
	b.refuse("fac", Command{Type: "column.delete", ID: keep}, CodeConflict)
}

func TestLastColumnCannotBeDeleted(t *testing.T) {
	b := newBoard(t, KindOther)
	b.refuse("fac", Command{Type: "column.delete", ID: "col1"}, CodeConflict)
}

func TestCaps(t *testing.T) {
	t.Run("notes", func(t *testing.T) {
		b := newBoard(t, KindProblem)
		for i := 0; i < MaxNotes-1; i++ {
			b.s.Load(EntNote, &Note{ID: fmt.Sprintf("n%d", i), ColumnID: "col1", Text: "x", Revealed: true})
		}
		b.note("fac", "col1", "last")
		b.refuse("fac", Command{Type: "note.add", ColumnID: "col1", Text: sp("one too many")}, CodeConflict)
	})
	t.Run("groups", func(t *testing.T) {
		b := newBoard(t, KindProblem)
		for i := 0; i < MaxGroups-1; i++ {
			b.s.Load(EntGroup, &Group{ID: fmt.Sprintf("g%d", i), ColumnID: "col1", Title: "g"})
		}
		b.do("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("last")})
		b.refuse("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("more")}, CodeConflict)
	})
	t.Run("columns", func(t *testing.T) {
		b := newBoard(t, KindProblem)
		for i := 1; i < MaxColumns-1; i++ {
			b.do("fac", Command{Type: "column.add", Title: sp("c")})
		}
		b.do("fac", Command{Type: "column.add", Title: sp("last")})
		if len(b.s.Columns) != MaxColumns {
			t.Fatalf("columns = %d", len(b.s.Columns))
		}
		b.refuse("fac", Command{Type: "column.add", Title: sp("more")}, CodeConflict)
	})
	t.Run("links", func(t *testing.T) {
		b := newBoard(t, KindInnovation, KindProblem)
		from := b.note("fac", "col1", "ide")
		for i := 0; i < MaxLinks; i++ {
			b.s.Load(EntNote, &Note{ID: fmt.Sprintf("p%d", i), ColumnID: "col2", Text: "x", Revealed: true})
		}
		for i := 0; i < MaxLinks-1; i++ {
			b.s.Load(EntLink, &Link{ID: fmt.Sprintf("l%d", i), FromID: from, ToID: fmt.Sprintf("p%d", i)})
		}
		b.do("fac", Command{Type: "link.add", FromID: from, ToID: fmt.Sprintf("p%d", MaxLinks-1)})
		b.s.Load(EntNote, &Note{ID: "extra", ColumnID: "col2", Text: "x", Revealed: true})
		b.refuse("fac", Command{Type: "link.add", FromID: from, ToID: "extra"}, CodeConflict)
	})
	t.Run("actions", func(t *testing.T) {
		b := newBoard(t, KindProblem)
		for i := 0; i < MaxActions-1; i++ {
			b.s.Load(EntAction, &Action{ID: fmt.Sprintf("a%d", i), Text: "t", Owner: "o", Due: "2026-01-01"})
		}
		add := Command{Type: "action.add", Text: sp("t"), Owner: sp("o"), Due: sp("2026-01-01")}
		b.do("fac", add)
		b.refuse("fac", add, CodeConflict)
	})
	t.Run("participants", func(t *testing.T) {
		b := newBoard(t, KindProblem)
		for i := 1; i < MaxParticipants; i++ {
			b.join(fmt.Sprintf("p%d", i), "P", RoleParticipant)
		}
		before := dump(t, b.s)
		_, err := b.s.Join(Participant{ID: "late", Name: "L", Role: RoleParticipant, JoinedAt: t0})
		if ErrorCode(err) != CodeConflict {
			t.Errorf("Join beyond the cap: %v, want conflict", err)
		}
		assertUnchanged(t, b.s, before, "join beyond the cap")
	})
	t.Run("group note ids", func(t *testing.T) {
		b := newBoard(t, KindProblem)
		ids := make([]string, MaxGroupNoteIDs+1)
		for i := range ids {
			ids[i] = fmt.Sprintf("n%d", i)
			b.s.Load(EntNote, &Note{ID: ids[i], ColumnID: "col1", Text: "x", Revealed: true})
		}
		b.refuse("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("g"), NoteIDs: ids}, CodeInvalid)
		b.do("fac", Command{Type: "group.add", ColumnID: "col1", Title: sp("g"), NoteIDs: ids[:MaxGroupNoteIDs]})
	})
}

func TestJoinRecordsParticipant(t *testing.T) {
	b := newBoard(t, KindProblem)
	ch, err := b.s.Join(Participant{ID: "pz", Name: "Zed", Unit: "U", Role: RoleParticipant, JoinedAt: t0, TokenHash: []byte{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Event.ActorID != "pz" || ch.CreatedID != "pz" || ch.Ref != "" || len(ch.Puts) != 1 || ch.Puts[0].Kind != EntParticipant {
		t.Errorf("join change = %+v", ch)
	}
	if p := ch.Puts[0].Value.(*Participant); string(p.TokenHash) != "\x01\x02" {
		t.Errorf("join put lost the token hash")
	}
	if len(b.s.pending) != 0 {
		t.Errorf("join left puts pending")
	}
}

// TestPutsAreCopies: a put holds a copy, so later changes to the live
// state cannot alter what a batch hands the store.
func TestPutsAreCopies(t *testing.T) {
	b := newBoard(t, KindProblem)
	ch := b.do("fac", Command{Type: "note.add", ColumnID: "col1", Text: sp("a")})
	b.do("fac", Command{Type: "note.update", ID: ch.CreatedID, Text: sp("b")})
	if got := ch.Puts[0].Value.(*Note).Text; got != "a" {
		t.Errorf("earlier put now says %q", got)
	}
	if got := ch.Event.Data.(NoteData).Note.Text; got != "a" {
		t.Errorf("earlier event now says %q", got)
	}
}

func TestValidDate(t *testing.T) {
	for s, want := range map[string]bool{
		"2026-11-27": true, "2026-01-01": true, "2026-12-31": true,
		"2026-00-10": false, "2026-13-10": false, "2026-10-00": false, "2026-10-32": false,
		"2026-1-01": false, "26-11-27": false, "2026/11/27": false, "": false, "2026-11-2a": false,
		"２０２６-11-27": false,
	} {
		if got := ValidDate(s); got != want {
			t.Errorf("ValidDate(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	err := Errorf(CodeLocked, "x %d", 1)
	if err.Error() != "locked: x 1" || ErrorCode(err) != CodeLocked || ErrorMessage(err) != "x 1" {
		t.Errorf("error = %q", err.Error())
	}
	wrapped := fmt.Errorf("wrap: %w", err)
	if ErrorCode(wrapped) != CodeLocked {
		t.Errorf("wrapped code = %q", ErrorCode(wrapped))
	}
	plain := fmt.Errorf("disk on fire /var/secret")
	if ErrorCode(plain) != CodeInternal || ErrorMessage(plain) != "internal error" {
		t.Errorf("plain error leaks: %q %q", ErrorCode(plain), ErrorMessage(plain))
	}
}

func TestTemplates(t *testing.T) {
	want := map[string][]TemplateColumn{
		"zona-integritas": {{"Manajemen Perubahan", "problem"}, {"Penataan Tatalaksana", "problem"},
			{"Penataan Sistem Manajemen SDM Aparatur", "problem"}, {"Penguatan Akuntabilitas Kinerja", "problem"},
			{"Penguatan Pengawasan", "problem"}, {"Peningkatan Kualitas Pelayanan Publik", "problem"},
			{"Usulan Inovasi", "innovation"}},
		"masalah-inovasi": {{"Masalah", "problem"}, {"Akar Masalah", "cause"}, {"Usulan Inovasi", "innovation"}},
		"fishbone": {{"Manusia", "cause"}, {"Metode", "cause"}, {"Material", "cause"}, {"Mesin", "cause"},
			{"Pengukuran", "cause"}, {"Lingkungan", "cause"}, {"Masalah Utama", "problem"}},
		"kosong":        {{"Catatan", "other"}},
		"pohon-masalah": {{"Akar Masalah", "cause"}, {"Masalah Utama", "problem"}, {"Dampak", "effect"}},
		"monitoring-rencana-aksi": {{"Manajemen Perubahan", "other"}, {"Penataan Tatalaksana", "other"},
			{"Penataan Sistem Manajemen SDM Aparatur", "other"}, {"Penguatan Akuntabilitas Kinerja", "other"},
			{"Penguatan Pengawasan", "other"}, {"Peningkatan Kualitas Pelayanan Publik", "other"}},
	}
	order := []string{"zona-integritas", "masalah-inovasi", "fishbone", "kosong", "pohon-masalah", "monitoring-rencana-aksi"}
	ts := Templates()
	if len(ts) != len(order) {
		t.Fatalf("templates = %d, want %d", len(ts), len(order))
	}
	for i, tp := range ts {
		if tp.ID != order[i] {
			t.Errorf("template %d = %s, want %s", i, tp.ID, order[i])
		}
		if fmt.Sprint(tp.Columns) != fmt.Sprint(want[tp.ID]) {
			t.Errorf("%s columns = %v, want %v", tp.ID, tp.Columns, want[tp.ID])
		}
	}
	ts[0].Columns[0].Title = "changed"
	if got, _ := TemplateByID("zona-integritas"); got.Columns[0].Title != "Manajemen Perubahan" {
		t.Errorf("Templates shares its slices")
	}
	if _, ok := TemplateByID("nope"); ok {
		t.Errorf("TemplateByID(nope) found something")
	}
}
