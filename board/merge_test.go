package board

import (
	"strings"
	"testing"
)

// TestMergeAttributesToSurvivor: the row that goes hands its notes, scores,
// APKL ratings, signature, role, actions and tokens to the survivor, and
// leaves the attendance list.
func TestMergeAttributesToSurvivor(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.participant("siti", "Siti", RoleParticipant)
	b.participant("siti2", "siti", RoleNotulis)
	n1 := b.note("siti", "col1", "antrian panjang")
	n2 := b.note("siti2", "col1", "loket kurang")
	n3 := b.note("siti2", "col1", "jam layanan")
	b.do("siti2", Command{Type: "participant.sign", Path: sp("M1 1L20 20")})
	b.do("siti2", Command{Type: "participant.update", NIP: sp("1978"), Jabatan: sp("Analis")})
	a := b.created("fac", Command{Type: "action.add", Text: sp("SOP"), Owner: sp("SITI "), Due: sp("2026-12-15")})
	b.phase(PhaseVote)
	b.do("siti", Command{Type: "usg.score", TargetID: Str(n1), U: 5, S: 5, G: 5})
	b.do("siti2", Command{Type: "usg.score", TargetID: Str(n1), U: 1, S: 1, G: 1})
	b.do("siti2", Command{Type: "usg.score", TargetID: Str(n2), U: 3, S: 4, G: 2})

	ch := b.do("fac", Command{Type: "participant.merge", ID: "siti2", IntoID: "siti"})
	if ch.Event.Name != "participant.merged" {
		t.Fatalf("event = %q", ch.Event.Name)
	}
	s := b.s
	for _, id := range []string{n1, n2, n3} {
		if got := s.Notes[id].AuthorID; got != "siti" {
			t.Errorf("note %s author = %q, want siti", id, got)
		}
	}
	if sc := s.Scores[voteKey("siti", n1)]; sc == nil || sc.U != 5 {
		t.Errorf("survivor's own score on n1 = %+v, want kept (5)", sc)
	}
	if sc := s.Scores[voteKey("siti", n2)]; sc == nil || sc.U != 3 {
		t.Errorf("moved score on n2 = %+v, want 3/4/2", sc)
	}
	if got := s.Notes[n1].USG.Raters; got != 1 {
		t.Errorf("n1 raters = %d, want 1 (one person, one score)", got)
	}
	for k := range s.Scores {
		if strings.HasPrefix(k, "siti2/") {
			t.Errorf("score %s of the merged row left behind", k)
		}
	}
	sv := s.Participants["siti"]
	if sv.Signature == "" || sv.NIP != "1978" || sv.Jabatan != "Analis" || sv.Role != RoleNotulis {
		t.Errorf("survivor = %+v, want signature, NIP, jabatan and the notulis role moved", sv)
	}
	if s.Actions[a].Owner != "Siti" {
		t.Errorf("action owner = %q, want the survivor's name", s.Actions[a].Owner)
	}
	gone := s.Participants["siti2"]
	if !gone.Removed || gone.MergedInto != "siti" {
		t.Errorf("merged row = %+v, want removed into siti", gone)
	}
	if !s.HoldsToken(sv, []byte("hash-of-siti2")) || !s.HoldsToken(sv, []byte("hash-of-siti")) {
		t.Error("the survivor must hold both tokens")
	}
	snap := s.Snapshot(b.viewer("fac"), nil, b.now)
	rows := 0
	for _, p := range snap.Participants {
		if strings.EqualFold(p.Name, "siti") {
			rows++
		}
	}
	if rows != 1 {
		t.Errorf("attendance rows named Siti = %d, want 1", rows)
	}
}

// TestMergeVotesRespectBudget: one person, one budget — the survivor's dots
// stay, the other row's are added while the budget lasts, the rest dropped.
func TestMergeVotesRespectBudget(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.participant("a", "Ani", RoleParticipant)
	b.participant("a2", "Ani", RoleParticipant)
	n1 := b.note("a", "col1", "satu")
	n2 := b.note("a", "col1", "dua")
	b.settings(Command{Type: "settings.update", VotesPerParticipant: ip(3)})
	b.phase(PhaseVote)
	b.do("a", Command{Type: "vote.cast", TargetID: Str(n1)})
	b.do("a", Command{Type: "vote.cast", TargetID: Str(n1)})
	for range 3 {
		b.do("a2", Command{Type: "vote.cast", TargetID: Str(n2)})
	}
	ch := b.do("fac", Command{Type: "participant.merge", ID: "a2", IntoID: "a"})
	if got := ch.Event.Data.(MergedData).VotesDropped; got != 2 {
		t.Errorf("votesDropped = %d, want 2", got)
	}
	if got := b.s.VotesUsed("a"); got != 3 {
		t.Errorf("survivor's votes = %d, want 3 (the budget)", got)
	}
	if got := b.s.VotesUsed("a2"); got != 0 {
		t.Errorf("merged row's votes = %d, want 0", got)
	}
	if b.s.Notes[n1].Votes != 2 || b.s.Notes[n2].Votes != 1 {
		t.Errorf("totals n1=%d n2=%d, want 2 and 1", b.s.Notes[n1].Votes, b.s.Notes[n2].Votes)
	}
	b.refuse("a", Command{Type: "vote.cast", TargetID: Str(n2)}, CodeBudgetExceeded)
}

// TestMergeRules: only the facilitator merges; not the facilitator's row,
// not a row into itself, not removed or unknown rows.
func TestMergeRules(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.participant("a", "Ani", RoleParticipant)
	b.participant("a2", "Ani", RoleParticipant)
	b.participant("c", "Cici", RoleNotulis)
	b.refuse("a", Command{Type: "participant.merge", ID: "a2", IntoID: "a"}, CodeForbidden)
	b.refuse("c", Command{Type: "participant.merge", ID: "a2", IntoID: "a"}, CodeForbidden)
	b.refuse("fac", Command{Type: "participant.merge", ID: "fac", IntoID: "a"}, CodeForbidden)
	b.refuse("fac", Command{Type: "participant.merge", ID: "a", IntoID: "a"}, CodeInvalid)
	b.refuse("fac", Command{Type: "participant.merge", ID: "a", IntoID: "nobody"}, CodeNotFound)
	b.refuse("fac", Command{Type: "participant.merge", ID: "nobody", IntoID: "a"}, CodeNotFound)
	b.do("fac", Command{Type: "participant.merge", ID: "a2", IntoID: "a"})
	b.refuse("fac", Command{Type: "participant.merge", ID: "a", IntoID: "a2"}, CodeNotFound)
	// The facilitator's row may survive a merge.
	b.do("fac", Command{Type: "participant.merge", ID: "c", IntoID: "fac"})
}

// TestMergeKeepsAnonymity: a note written while anonymous stays without an
// author for everyone but its writer after the merge, in the event too.
func TestMergeKeepsAnonymity(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.participant("a", "Ani", RoleParticipant)
	b.participant("a2", "Ani", RoleParticipant)
	b.participant("o", "Other", RoleParticipant)
	b.settings(Command{Type: "settings.update", Anonymous: bp(true)})
	n := b.note("a2", "col1", "rahasia")
	b.settings(Command{Type: "settings.update", Anonymous: bp(false)})
	ch := b.do("fac", Command{Type: "participant.merge", ID: "a2", IntoID: "a"})
	for _, who := range []string{"fac", "o"} {
		out := string(project(t, b.s, &ch.Event, b.viewer(who)))
		if strings.Contains(out, `"authorId":"a"`) || strings.Contains(out, `"authorName":"Ani"`) {
			t.Errorf("%s learns the anonymous note's author from the merge: %s", who, out)
		}
		snap := mustJSON(t, b.s.Snapshot(b.viewer(who), nil, b.now))
		if strings.Contains(string(snap), `"authorId":"a"`) {
			t.Errorf("%s's snapshot names the author of %s", who, n)
		}
	}
	out := string(project(t, b.s, &ch.Event, b.viewer("a")))
	if !strings.Contains(out, `"authorId":"a"`) {
		t.Errorf("the survivor should see the note as theirs: %s", out)
	}
	if Replayable([]Event{ch.Event}) {
		t.Error("a merge carries every note: a gap holding it must get the full board")
	}
}

// TestAddDeviceRules: the facilitator admits anyone but themself; a
// participant only themself; the cap holds; the token then authenticates.
func TestAddDeviceRules(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.participant("a", "Ani", RoleParticipant)
	b.participant("o", "Other", RoleParticipant)
	if _, err := b.s.AddDevice("o", "a", []byte("x"), b.now, b.newID); ErrorCode(err) != CodeForbidden {
		t.Errorf("a participant adding a device to someone else: %v, want forbidden", err)
	}
	if _, err := b.s.AddDevice("fac", "fac", []byte("x"), b.now, b.newID); err != nil {
		t.Errorf("the facilitator's own link: %v", err)
	}
	if _, err := b.s.AddDevice("a", "fac", []byte("y"), b.now, b.newID); ErrorCode(err) != CodeForbidden {
		t.Errorf("a participant adding a device to the facilitator: %v, want forbidden", err)
	}
	for i := range MaxDevices {
		ch, err := b.s.AddDevice("fac", "a", []byte{byte('0' + i)}, b.now, b.newID)
		if err != nil {
			t.Fatalf("device %d: %v", i, err)
		}
		if ch.Event.Name != "participant.deviceAdded" || len(ch.Puts) != 1 || ch.Puts[0].Kind != EntDevice {
			t.Fatalf("change = %+v", ch)
		}
		out := string(project(t, b.s, &ch.Event, b.viewer("o")))
		if strings.Contains(out, `"a"`) {
			t.Errorf("another participant learns whose device it was: %s", out)
		}
	}
	if _, err := b.s.AddDevice("a", "a", []byte("z"), b.now, b.newID); ErrorCode(err) != CodeConflict {
		t.Errorf("past the cap: %v, want conflict", err)
	}
	if !b.s.HoldsToken(b.s.Participants["a"], []byte("0")) || b.s.HoldsToken(b.s.Participants["o"], []byte("0")) {
		t.Error("a device token must authenticate its participant, and only them")
	}
}
