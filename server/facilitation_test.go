package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"rembuk/server"
)

// Issue 3's rules, each over real WebSockets with a facilitator, a notulis
// and a participant: every refusal gets its code and uses no seq (trio.ok
// checks that the next ack takes the next seq), and every accepted change
// reaches all three, each seq once.

// eventData returns an event's data object.
func eventData(ev map[string]any) map[string]any {
	d, _ := ev["data"].(map[string]any)
	return d
}

// findIn returns the element of a board list with the id.
func findIn(t *testing.T, b map[string]any, list, id string) map[string]any {
	t.Helper()
	items, _ := b[list].([]any)
	for _, it := range items {
		if m := it.(map[string]any); m["id"] == id {
			return m
		}
	}
	t.Fatalf("board has no %s with id %s", list, id)
	return nil
}

func sessionOf(b map[string]any) map[string]any { return b["session"].(map[string]any) }

func TestPhaseRules(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	prob, cause := tr.cols["problem"][0], tr.cols["cause"][0]
	pn := tr.id(tr.par, "note.add", map[string]any{"columnId": prob, "text": "masalah peserta"})
	nn := tr.id(tr.not, "note.add", map[string]any{"columnId": prob, "text": "masalah notulis"})

	for _, w := range []*wsClient{tr.par, tr.not} {
		tr.refuse(w, "phase.set", map[string]any{"phase": "group"}, "forbidden")
	}
	tr.refuse(tr.fac, "phase.set", map[string]any{"phase": "voting"}, "invalid")
	tr.refuse(tr.fac, "phase.set", nil, "invalid")

	// Brainstorm: no votes or scores for anyone, the facilitator included.
	for _, w := range tr.clients() {
		tr.refuse(w, "vote.cast", map[string]any{"targetId": pn}, "wrong_phase")
		tr.refuse(w, "vote.retract", map[string]any{"targetId": pn}, "wrong_phase")
		tr.refuse(w, "usg.score", map[string]any{"targetId": pn, "u": 3, "s": 3, "g": 3}, "wrong_phase")
	}
	// group.add: the facilitator in any phase, the others only in group.
	tr.refuse(tr.par, "group.add", map[string]any{"columnId": prob, "title": "G", "noteIds": []string{pn}}, "wrong_phase")
	tr.refuse(tr.not, "group.add", map[string]any{"columnId": prob, "title": "G", "noteIds": []string{pn}}, "wrong_phase")
	g1 := tr.id(tr.fac, "group.add", map[string]any{"columnId": prob, "title": "Grup fasilitator", "noteIds": []string{pn}})
	for _, ev := range tr.lastEvents("group.added") {
		if g := eventData(ev)["group"].(map[string]any); g["id"] != g1 || g["title"] != "Grup fasilitator" {
			t.Fatalf("group.added %v", ev)
		}
	}
	// note.move of another's note: not outside phase group.
	tr.refuse(tr.par, "note.move", map[string]any{"id": nn, "columnId": cause}, "forbidden")
	tr.refuse(tr.not, "note.move", map[string]any{"id": pn, "columnId": cause}, "forbidden")
	tr.ok(tr.par, "note.move", map[string]any{"id": pn, "position": 7}) // the author
	tr.ok(tr.fac, "note.move", map[string]any{"id": nn, "position": 8}) // the facilitator

	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "group"})
	for _, ev := range tr.lastEvents("phase.changed") {
		if eventData(ev)["phase"] != "group" {
			t.Fatalf("phase.changed %v, want group", ev)
		}
	}
	g2 := tr.id(tr.par, "group.add", map[string]any{"columnId": prob, "title": "Grup peserta", "noteIds": []string{nn}})
	tr.id(tr.not, "group.add", map[string]any{"columnId": cause, "title": "Grup notulis", "noteIds": []string{}})
	tr.ok(tr.par, "note.move", map[string]any{"id": nn, "columnId": prob, "groupId": g1}) // anyone sorts in group
	tr.ok(tr.not, "note.move", map[string]any{"id": pn, "columnId": cause})
	tr.refuse(tr.par, "vote.cast", map[string]any{"targetId": g2}, "wrong_phase")
	tr.refuse(tr.par, "group.update", map[string]any{"id": g2, "title": "x"}, "forbidden")
	tr.refuse(tr.not, "group.delete", map[string]any{"id": g2}, "forbidden")
	tr.ok(tr.fac, "group.update", map[string]any{"id": g2, "title": "Grup peserta (baru)"})

	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "vote"})
	tr.ok(tr.par, "vote.cast", map[string]any{"targetId": g2})
	tr.ok(tr.not, "usg.score", map[string]any{"targetId": pn, "u": 1, "s": 2, "g": 3})
	tr.refuse(tr.par, "note.move", map[string]any{"id": nn, "columnId": cause}, "forbidden")
	tr.refuse(tr.par, "group.add", map[string]any{"columnId": prob, "title": "G", "noteIds": []string{}}, "wrong_phase")
	tr.id(tr.fac, "group.add", map[string]any{"columnId": prob, "title": "Masih boleh", "noteIds": []string{}})

	// Soft phases: back, and skipping ahead.
	for _, p := range []string{"brainstorm", "actions", "discuss"} {
		tr.ok(tr.fac, "phase.set", map[string]any{"phase": p})
	}
	tr.refuse(tr.par, "vote.cast", map[string]any{"targetId": g2}, "wrong_phase")
	if ph := sessionOf(tr.board(tr.parTok))["phase"]; ph != "discuss" {
		t.Fatalf("snapshot phase %v, want discuss", ph)
	}
	tr.checkSeq()
}

func TestSettingsRules(t *testing.T) {
	tr := newTrio(t, "kosong")
	col := tr.colIDs[0]
	b := tr.board(tr.parTok)
	if st := sessionOf(b)["settings"].(map[string]any); st["anonymous"] != false || st["privateBrainstorm"] != false ||
		num(st["votesPerParticipant"]) != 5 || st["locked"] != false || sessionOf(b)["phase"] != "brainstorm" {
		t.Fatalf("new session: %v, want brainstorm, not anonymous, not private, 5 votes, unlocked", sessionOf(b))
	}
	fields := []map[string]any{{"anonymous": true}, {"privateBrainstorm": true}, {"votesPerParticipant": 7}, {"locked": true}}
	for _, f := range fields {
		tr.refuse(tr.par, "settings.update", f, "forbidden")
		tr.refuse(tr.not, "settings.update", f, "forbidden")
	}
	for _, v := range []any{-1, 51, 1000, "5", 2.5} {
		tr.refuse(tr.fac, "settings.update", map[string]any{"votesPerParticipant": v}, "invalid")
	}
	for _, v := range []int{50, 0} {
		tr.ok(tr.fac, "settings.update", map[string]any{"votesPerParticipant": v})
		for _, ev := range tr.lastEvents("settings.changed") {
			if got := num(eventData(ev)["settings"].(map[string]any)["votesPerParticipant"]); got != int64(v) {
				t.Fatalf("settings.changed %v, want %d votes", ev, v)
			}
		}
	}
	// 0 votes turns voting off.
	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "vote"})
	n := tr.id(tr.fac, "note.add", map[string]any{"columnId": col, "text": "bisa dipilih?"})
	tr.refuse(tr.par, "vote.cast", map[string]any{"targetId": n}, "budget_exceeded")
	tr.refuse(tr.fac, "vote.cast", map[string]any{"targetId": n}, "budget_exceeded")
	if left := num(tr.board(tr.parTok)["you"].(map[string]any)["votesLeft"]); left != 0 {
		t.Fatalf("votesLeft %d, want 0", left)
	}

	// Locked: participants (and the notulis's notes) get locked; the
	// facilitator still acts.
	tr.ok(tr.fac, "settings.update", map[string]any{"votesPerParticipant": 2})
	pn := tr.id(tr.par, "note.add", map[string]any{"columnId": col, "text": "sebelum dikunci"})
	tr.ok(tr.fac, "settings.update", map[string]any{"locked": true})
	if st := sessionOf(tr.board(tr.notTok))["settings"].(map[string]any); st["locked"] != true {
		t.Fatalf("snapshot settings %v, want locked", st)
	}
	tr.refuse(tr.par, "note.add", map[string]any{"columnId": col, "text": "terkunci"}, "locked")
	tr.refuse(tr.par, "note.update", map[string]any{"id": pn, "text": "terkunci"}, "locked")
	tr.refuse(tr.par, "note.delete", map[string]any{"id": pn}, "locked")
	tr.refuse(tr.par, "vote.cast", map[string]any{"targetId": n}, "locked")
	tr.refuse(tr.par, "usg.score", map[string]any{"targetId": n, "u": 1, "s": 1, "g": 1}, "locked")
	tr.refuse(tr.par, "link.add", map[string]any{"fromId": n, "toId": pn}, "locked")
	tr.refuse(tr.not, "note.add", map[string]any{"columnId": col, "text": "terkunci"}, "locked")
	tr.ok(tr.fac, "note.add", map[string]any{"columnId": col, "text": "fasilitator tetap bisa"})
	tr.ok(tr.fac, "vote.cast", map[string]any{"targetId": n})
	tr.ok(tr.fac, "note.update", map[string]any{"id": pn, "text": "diubah fasilitator"})
	tr.ok(tr.fac, "settings.update", map[string]any{"locked": false})
	tr.ok(tr.par, "vote.cast", map[string]any{"targetId": n})
	tr.checkSeq()
}

func TestVoteBudget(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	prob := tr.cols["problem"][0]
	pn := tr.id(tr.par, "note.add", map[string]any{"columnId": prob, "text": "catatan peserta"})
	nn := tr.id(tr.not, "note.add", map[string]any{"columnId": prob, "text": "catatan notulis"})
	g := tr.id(tr.fac, "group.add", map[string]any{"columnId": prob, "title": "Grup", "noteIds": []string{}})
	tr.ok(tr.fac, "settings.update", map[string]any{"votesPerParticipant": 3})
	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "vote"})

	tr.refuse(tr.par, "vote.cast", nil, "invalid")
	tr.refuse(tr.par, "vote.cast", map[string]any{"targetId": "nope"}, "not_found")
	tr.refuse(tr.par, "vote.retract", map[string]any{"targetId": nn}, "conflict") // nothing to retract
	// Several votes on one target, and one on a group.
	tr.ok(tr.par, "vote.cast", map[string]any{"targetId": pn})
	tr.ok(tr.par, "vote.cast", map[string]any{"targetId": pn})
	evs := tr.lastEvents("vote.changed")
	for i, ev := range evs {
		d := eventData(ev)
		if d["targetId"] != pn || num(d["votes"]) != 2 {
			t.Fatalf("vote.changed %v, want 2 votes on %s", d, pn)
		}
		_, mine := d["myVotes"]
		if isVoter := i == 2; mine != isVoter {
			t.Fatalf("viewer %d: vote.changed %v: myVotes only for the voter", i, d)
		}
		if d["voter"] != nil || d["voterVotes"] != nil {
			t.Fatalf("vote.changed %v names the voter", d)
		}
	}
	tr.ok(tr.par, "vote.cast", map[string]any{"targetId": g})
	tr.refuse(tr.par, "vote.cast", map[string]any{"targetId": nn}, "budget_exceeded")
	if left := num(tr.board(tr.parTok)["you"].(map[string]any)["votesLeft"]); left != 0 {
		t.Fatalf("participant votesLeft %d, want 0", left)
	}
	// A retract frees one.
	tr.ok(tr.par, "vote.retract", map[string]any{"targetId": pn})
	if left := num(tr.board(tr.parTok)["you"].(map[string]any)["votesLeft"]); left != 1 {
		t.Fatalf("votesLeft after a retract %d, want 1", left)
	}
	tr.ok(tr.par, "vote.cast", map[string]any{"targetId": nn})
	tr.refuse(tr.par, "vote.cast", map[string]any{"targetId": nn}, "budget_exceeded")

	// The facilitator's votes count against the same budget.
	for i := 0; i < 3; i++ {
		tr.ok(tr.fac, "vote.cast", map[string]any{"targetId": nn})
	}
	tr.refuse(tr.fac, "vote.cast", map[string]any{"targetId": pn}, "budget_exceeded")
	// The notulis still has all three.
	b := tr.board(tr.notTok)
	if left := num(b["you"].(map[string]any)["votesLeft"]); left != 3 {
		t.Fatalf("notulis votesLeft %d, want 3", left)
	}
	if v := num(findIn(t, b, "notes", nn)["votes"]); v != 4 {
		t.Fatalf("note votes %d, want 4", v)
	}
	if v := num(findIn(t, b, "notes", pn)["votes"]); v != 1 {
		t.Fatalf("note votes %d, want 1", v)
	}
	if v := num(findIn(t, b, "groups", g)["votes"]); v != 1 {
		t.Fatalf("group votes %d, want 1", v)
	}
	// A smaller budget leaves nobody below zero.
	tr.ok(tr.fac, "settings.update", map[string]any{"votesPerParticipant": 1})
	if left := num(tr.board(tr.s.FacilitatorToken)["you"].(map[string]any)["votesLeft"]); left != 0 {
		t.Fatalf("votesLeft over budget %d, want 0", left)
	}
	tr.ok(tr.not, "vote.cast", map[string]any{"targetId": pn})
	tr.refuse(tr.not, "vote.cast", map[string]any{"targetId": pn}, "budget_exceeded")
	tr.checkSeq()
}

func TestUSGScores(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	prob := tr.cols["problem"][0]
	pn := tr.id(tr.par, "note.add", map[string]any{"columnId": prob, "text": "antrian panjang"})
	g := tr.id(tr.fac, "group.add", map[string]any{"columnId": prob, "title": "Layanan", "noteIds": []string{}})
	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "vote"})
	bad := []map[string]any{
		{"targetId": pn, "u": 0, "s": 3, "g": 3}, {"targetId": pn, "u": 6, "s": 3, "g": 3},
		{"targetId": pn, "u": 3, "s": -1, "g": 3}, {"targetId": pn, "u": 3, "s": 3},
		{"targetId": pn, "u": 2.5, "s": 3, "g": 3}, {"targetId": pn, "u": "3", "s": 3, "g": 3},
		{"u": 3, "s": 3, "g": 3},
	}
	for _, f := range bad {
		tr.refuse(tr.par, "usg.score", f, "invalid")
	}
	tr.refuse(tr.par, "usg.score", map[string]any{"targetId": "nope", "u": 3, "s": 3, "g": 3}, "not_found")

	type usg struct {
		u, s, g, total float64
		raters         int64
	}
	check := func(label string, got any, want usg) {
		t.Helper()
		m, _ := got.(map[string]any)
		if m == nil || m["u"] != want.u || m["s"] != want.s || m["g"] != want.g || m["total"] != want.total || num(m["raters"]) != want.raters {
			t.Fatalf("%s: usg %v, want %+v", label, got, want)
		}
	}
	tr.ok(tr.par, "usg.score", map[string]any{"targetId": pn, "u": 5, "s": 4, "g": 3})
	tr.ok(tr.not, "usg.score", map[string]any{"targetId": pn, "u": 3, "s": 2, "g": 1})
	want := usg{4, 3, 2, 9, 2}
	for i, ev := range tr.lastEvents("usg.changed") {
		d := eventData(ev)
		if d["targetId"] != pn {
			t.Fatalf("usg.changed %v", d)
		}
		check(fmt.Sprint("event for viewer ", i), d["usg"], want)
		_, mine := d["myUsg"]
		if mine != (i == 1) {
			t.Fatalf("viewer %d: usg.changed %v: myUsg only for the scorer", i, d)
		}
		if d["scorer"] != nil || d["score"] != nil {
			t.Fatalf("usg.changed %v names the scorer", d)
		}
	}
	// A new score replaces the old one; the facilitator scores too.
	tr.ok(tr.par, "usg.score", map[string]any{"targetId": pn, "u": 1, "s": 1, "g": 1})
	check("rescored", eventData(tr.lastEvents("usg.changed")[0])["usg"], usg{2, 1.5, 1, 4.5, 2})
	tr.ok(tr.fac, "usg.score", map[string]any{"targetId": pn, "u": 2, "s": 2, "g": 2})
	want = usg{2, 1.67, 1.33, 5, 3}
	check("three raters", eventData(tr.lastEvents("usg.changed")[2])["usg"], want)
	for _, tok := range []string{tr.s.FacilitatorToken, tr.notTok, tr.parTok} {
		check("snapshot", findIn(t, tr.board(tok), "notes", pn)["usg"], want)
	}
	my := findIn(t, tr.board(tr.notTok), "notes", pn)["myUsg"].(map[string]any)
	if num(my["u"]) != 3 || num(my["s"]) != 2 || num(my["g"]) != 1 {
		t.Fatalf("notulis myUsg %v, want 3/2/1", my)
	}
	// Groups are scored the same way.
	tr.ok(tr.par, "usg.score", map[string]any{"targetId": g, "u": 4, "s": 4, "g": 4})
	check("group", findIn(t, tr.board(tr.parTok), "groups", g)["usg"], usg{4, 4, 4, 12, 1})
	tr.checkSeq()
}

func TestLinkRules(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	prob, cause, inno := tr.cols["problem"][0], tr.cols["cause"][0], tr.cols["innovation"][0]
	p1 := tr.id(tr.par, "note.add", map[string]any{"columnId": prob, "text": "masalah 1"})
	p2 := tr.id(tr.not, "note.add", map[string]any{"columnId": prob, "text": "masalah 2"})
	c1 := tr.id(tr.par, "note.add", map[string]any{"columnId": cause, "text": "akar"})
	i1 := tr.id(tr.par, "note.add", map[string]any{"columnId": inno, "text": "inovasi 1"})
	i2 := tr.id(tr.fac, "note.add", map[string]any{"columnId": inno, "text": "inovasi 2"})

	for _, f := range []map[string]any{
		{"fromId": p1, "toId": i1}, // problem -> innovation
		{"fromId": i1, "toId": i2}, // innovation -> innovation
		{"fromId": p1, "toId": p2}, // problem -> problem
		{"fromId": c1, "toId": p1}, // cause -> problem
		{"fromId": i1}, {"toId": p1}, nil,
	} {
		tr.refuse(tr.par, "link.add", f, "invalid")
	}
	tr.refuse(tr.par, "link.add", map[string]any{"fromId": i1, "toId": "nope"}, "not_found")
	tr.refuse(tr.par, "link.add", map[string]any{"fromId": "nope", "toId": p1}, "not_found")

	l1 := tr.id(tr.par, "link.add", map[string]any{"fromId": i1, "toId": p1}) // anyone
	for _, ev := range tr.lastEvents("link.added") {
		l := eventData(ev)["link"].(map[string]any)
		if l["id"] != l1 || l["fromId"] != i1 || l["toId"] != p1 {
			t.Fatalf("link.added %v", l)
		}
	}
	tr.refuse(tr.not, "link.add", map[string]any{"fromId": i1, "toId": p1}, "conflict")
	l2 := tr.id(tr.not, "link.add", map[string]any{"fromId": i1, "toId": p2})
	tr.id(tr.fac, "link.add", map[string]any{"fromId": i2, "toId": p2})
	if links := tr.board(tr.parTok)["links"].([]any); len(links) != 3 {
		t.Fatalf("snapshot has %d links, want 3", len(links))
	}
	tr.refuse(tr.par, "link.delete", map[string]any{"id": "nope"}, "not_found")
	tr.ok(tr.par, "link.delete", map[string]any{"id": l2}) // anyone, also another's link
	for _, ev := range tr.lastEvents("link.deleted") {
		if eventData(ev)["id"] != l2 {
			t.Fatalf("link.deleted %v", ev)
		}
	}
	// Deleting a problem drops its links.
	tr.ok(tr.not, "note.delete", map[string]any{"id": p2})
	links := tr.board(tr.s.FacilitatorToken)["links"].([]any)
	if len(links) != 1 || links[0].(map[string]any)["id"] != l1 {
		t.Fatalf("links after deleting the problem: %v, want only %s", links, l1)
	}
	tr.checkSeq()
}

func TestActionRules(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	pn := tr.id(tr.par, "note.add", map[string]any{"columnId": tr.colIDs[0], "text": "masalah"})
	ok := map[string]any{"text": "Susun SOP antrian", "owner": "Budi (Kasubag)", "due": "2026-12-31", "targetId": pn}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range ok {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	tr.refuse(tr.par, "action.add", ok, "forbidden")
	for _, f := range []map[string]any{
		with("text", nil), with("text", "  "), with("text", strings.Repeat("t", 1001)),
		with("owner", nil), with("owner", ""), with("owner", strings.Repeat("o", 81)),
		with("due", nil), with("due", "2026-13-01"), with("due", "31-12-2026"), with("due", "2026-12-00"),
		with("due", "besok"), with("done", "ya"),
	} {
		tr.refuse(tr.not, "action.add", f, "invalid")
	}
	tr.refuse(tr.not, "action.add", with("targetId", "nope"), "not_found")

	a1 := tr.id(tr.not, "action.add", ok)
	for _, ev := range tr.lastEvents("action.added") {
		a := eventData(ev)["action"].(map[string]any)
		if a["id"] != a1 || a["text"] != ok["text"] || a["owner"] != ok["owner"] || a["due"] != "2026-12-31" ||
			a["targetId"] != pn || a["done"] != false {
			t.Fatalf("action.added %v", a)
		}
	}
	a2 := tr.id(tr.fac, "action.add", map[string]any{"text": "Evaluasi", "owner": "Ani", "due": "2027-01-15", "targetId": nil})
	if a := eventData(tr.lastEvents("action.added")[2])["action"].(map[string]any); a["targetId"] != nil {
		t.Fatalf("action without a target: %v, want targetId null", a)
	}
	tr.refuse(tr.par, "action.update", map[string]any{"id": a1, "done": true}, "forbidden")
	tr.refuse(tr.fac, "action.update", map[string]any{"id": "nope", "done": true}, "not_found")
	tr.refuse(tr.fac, "action.update", map[string]any{"id": a1, "due": "kemarin"}, "invalid")
	tr.ok(tr.fac, "action.update", map[string]any{"id": a1, "done": true})
	for _, ev := range tr.lastEvents("action.updated") {
		if a := eventData(ev)["action"].(map[string]any); a["done"] != true || a["text"] != ok["text"] {
			t.Fatalf("action.updated %v, want done and the text kept", a)
		}
	}
	tr.refuse(tr.par, "action.delete", map[string]any{"id": a2}, "forbidden")
	tr.ok(tr.not, "action.delete", map[string]any{"id": a2})
	b := tr.board(tr.parTok) // everyone sees the actions
	if acts := b["actions"].([]any); len(acts) != 1 || acts[0].(map[string]any)["done"] != true {
		t.Fatalf("snapshot actions %v, want the one done action", acts)
	}
	tr.checkSeq()
}

func TestRecordRules(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	pn := tr.id(tr.par, "note.add", map[string]any{"columnId": tr.colIDs[0], "text": "masalah"})
	tr.refuse(tr.par, "record.set", map[string]any{"targetId": nil, "text": "x"}, "forbidden")
	tr.refuse(tr.not, "record.set", map[string]any{"targetId": "nope", "text": "x"}, "not_found")
	tr.refuse(tr.not, "record.set", map[string]any{"targetId": nil}, "invalid")
	tr.refuse(tr.not, "record.set", map[string]any{"targetId": nil, "text": strings.Repeat("k", 5001)}, "invalid")

	tr.ok(tr.not, "record.set", map[string]any{"targetId": nil, "text": "Kesimpulan sesi"})
	for _, ev := range tr.lastEvents("record.set") {
		r := eventData(ev)["record"].(map[string]any)
		if v, ok := r["targetId"]; !ok || v != nil || r["text"] != "Kesimpulan sesi" {
			t.Fatalf("record.set %v, want targetId null and the text", r)
		}
	}
	tr.ok(tr.fac, "record.set", map[string]any{"targetId": pn, "text": "Kesimpulan catatan"})
	if r := eventData(tr.lastEvents("record.set")[2])["record"].(map[string]any); r["targetId"] != pn {
		t.Fatalf("record.set %v, want target %s", r, pn)
	}
	recs := tr.board(tr.parTok)["records"].([]any)
	got := map[any]any{}
	for _, r := range recs {
		m := r.(map[string]any)
		got[m["targetId"]] = m["text"]
	}
	if len(recs) != 2 || got[nil] != "Kesimpulan sesi" || got[pn] != "Kesimpulan catatan" {
		t.Fatalf("snapshot records %v", recs)
	}
	tr.checkSeq()
}

func TestSpotlightRules(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	pn := tr.id(tr.par, "note.add", map[string]any{"columnId": tr.colIDs[0], "text": "sorot saya"})
	g := tr.id(tr.fac, "group.add", map[string]any{"columnId": tr.colIDs[0], "title": "Grup", "noteIds": []string{}})
	tr.refuse(tr.par, "spotlight.set", map[string]any{"targetId": pn}, "forbidden")
	tr.refuse(tr.not, "spotlight.set", map[string]any{"targetId": pn}, "forbidden")
	tr.refuse(tr.fac, "spotlight.set", map[string]any{"targetId": "nope"}, "not_found")
	for _, target := range []any{pn, g, nil} {
		tr.ok(tr.fac, "spotlight.set", map[string]any{"targetId": target})
		for _, ev := range tr.lastEvents("spotlight.changed") {
			if v, ok := eventData(ev)["targetId"]; !ok || v != target {
				t.Fatalf("spotlight.changed %v, want %v", ev, target)
			}
		}
		if got := sessionOf(tr.board(tr.parTok))["spotlight"]; got != target {
			t.Fatalf("snapshot spotlight %v, want %v", got, target)
		}
	}
	// Deleting the spotlit note clears the spotlight.
	tr.ok(tr.fac, "spotlight.set", map[string]any{"targetId": pn})
	tr.ok(tr.par, "note.delete", map[string]any{"id": pn})
	if got := sessionOf(tr.board(tr.notTok))["spotlight"]; got != nil {
		t.Fatalf("spotlight on a deleted note: %v", got)
	}
	tr.checkSeq()
}

func TestTimerRules(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	tr := newTrio(t, "kosong", func(c *server.Config) { c.Clock = func() time.Time { return now } })
	tr.refuse(tr.par, "timer.start", map[string]any{"seconds": 60}, "forbidden")
	tr.refuse(tr.not, "timer.start", map[string]any{"seconds": 60}, "forbidden")
	for _, s := range []any{0, -5, 7201, nil, "60"} {
		tr.refuse(tr.fac, "timer.start", map[string]any{"seconds": s}, "invalid")
	}
	for _, sec := range []int{90, 7200} {
		tr.ok(tr.fac, "timer.start", map[string]any{"seconds": sec})
		want := now.Add(time.Duration(sec) * time.Second)
		for _, ev := range tr.lastEvents("timer.changed") {
			tm, _ := eventData(ev)["timer"].(map[string]any)
			got, err := time.Parse(time.RFC3339Nano, fmt.Sprint(tm["endsAt"]))
			if err != nil || !got.Equal(want) {
				t.Fatalf("timer.changed %v, want endsAt %v", ev, want)
			}
		}
		sess := sessionOf(tr.board(tr.parTok))
		got, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(sess["timer"].(map[string]any)["endsAt"]))
		if !got.Equal(want) {
			t.Fatalf("snapshot timer %v, want endsAt %v", sess["timer"], want)
		}
	}
	tr.refuse(tr.par, "timer.stop", nil, "forbidden")
	tr.ok(tr.fac, "timer.stop", nil)
	for _, ev := range tr.lastEvents("timer.changed") {
		if v, ok := eventData(ev)["timer"]; !ok || v != nil {
			t.Fatalf("timer.changed after stop %v, want timer null", ev)
		}
	}
	if sess := sessionOf(tr.board(tr.parTok)); sess["timer"] != nil {
		t.Fatalf("snapshot timer after stop %v", sess["timer"])
	}
	tr.checkSeq()
}

func TestColumnRules(t *testing.T) {
	tr := newTrio(t, "kosong")
	only := tr.colIDs[0]
	tr.refuse(tr.fac, "column.delete", map[string]any{"id": only}, "conflict") // the last column stays
	for _, w := range []*wsClient{tr.par, tr.not} {
		tr.refuse(w, "column.add", map[string]any{"title": "K"}, "forbidden")
		tr.refuse(w, "column.update", map[string]any{"id": only, "title": "K"}, "forbidden")
		tr.refuse(w, "column.delete", map[string]any{"id": only}, "forbidden")
	}
	tr.refuse(tr.fac, "column.add", map[string]any{"title": " "}, "invalid")
	tr.refuse(tr.fac, "column.add", map[string]any{"title": "K", "kind": "lainnya"}, "invalid")
	c1 := tr.id(tr.fac, "column.add", map[string]any{"title": "Masalah Baru", "kind": "problem"})
	for _, ev := range tr.lastEvents("column.added") {
		c := eventData(ev)["column"].(map[string]any)
		if c["id"] != c1 || c["title"] != "Masalah Baru" || c["kind"] != "problem" {
			t.Fatalf("column.added %v", c)
		}
	}
	c2 := tr.id(tr.fac, "column.add", map[string]any{"title": "Tanpa jenis"})
	if c := eventData(tr.lastEvents("column.added")[1])["column"].(map[string]any); c["kind"] != "other" {
		t.Fatalf("column without kind: %v, want kind other", c)
	}
	tr.refuse(tr.fac, "column.update", map[string]any{"id": "nope", "title": "x"}, "not_found")
	tr.refuse(tr.fac, "column.update", map[string]any{"id": c1, "title": ""}, "invalid")
	tr.ok(tr.fac, "column.update", map[string]any{"id": c1, "title": "Masalah Utama"})
	for _, ev := range tr.lastEvents("column.updated") {
		if c := eventData(ev)["column"].(map[string]any); c["title"] != "Masalah Utama" || c["kind"] != "problem" {
			t.Fatalf("column.updated %v", c)
		}
	}
	n := tr.id(tr.par, "note.add", map[string]any{"columnId": c2, "text": "di kolom yang akan hilang"})
	tr.refuse(tr.fac, "column.delete", map[string]any{"id": "nope"}, "not_found")
	tr.ok(tr.fac, "column.delete", map[string]any{"id": c2})
	for _, ev := range tr.lastEvents("column.deleted") {
		if eventData(ev)["id"] != c2 {
			t.Fatalf("column.deleted %v", ev)
		}
	}
	b := tr.board(tr.parTok)
	if cols := b["columns"].([]any); len(cols) != 2 {
		t.Fatalf("snapshot has %d columns, want 2", len(cols))
	}
	for _, x := range b["notes"].([]any) {
		if x.(map[string]any)["id"] == n {
			t.Fatalf("the deleted column's note is still on the board")
		}
	}
	tr.refuse(tr.par, "note.add", map[string]any{"columnId": c2, "text": "x"}, "not_found")
	tr.checkSeq()
}

func TestSetRoleRules(t *testing.T) {
	tr := newTrio(t, "kosong")
	tr.refuse(tr.par, "participant.setRole", map[string]any{"id": tr.parID, "role": "notulis"}, "forbidden")
	tr.refuse(tr.not, "participant.setRole", map[string]any{"id": tr.parID, "role": "notulis"}, "forbidden")
	tr.refuse(tr.fac, "participant.setRole", map[string]any{"id": tr.parID, "role": "facilitator"}, "invalid")
	tr.refuse(tr.fac, "participant.setRole", map[string]any{"id": tr.parID, "role": ""}, "invalid")
	tr.refuse(tr.fac, "participant.setRole", map[string]any{"id": "nope", "role": "notulis"}, "not_found")
	tr.refuse(tr.fac, "participant.setRole", map[string]any{"id": tr.facID, "role": "participant"}, "forbidden")
	action := map[string]any{"text": "t", "owner": "o", "due": "2026-12-01"}
	tr.refuse(tr.par, "action.add", action, "forbidden")

	tr.ok(tr.fac, "participant.setRole", map[string]any{"id": tr.parID, "role": "notulis"})
	for _, ev := range tr.lastEvents("participant.changed") {
		p := eventData(ev)["participant"].(map[string]any)
		if p["id"] != tr.parID || p["role"] != "notulis" || p["name"] != tr.parName {
			t.Fatalf("participant.changed %v", p)
		}
	}
	tr.ok(tr.par, "action.add", action) // the new role counts at once, on the open connection
	if you := tr.board(tr.parTok)["you"].(map[string]any); you["role"] != "notulis" {
		t.Fatalf("snapshot you %v, want notulis", you)
	}
	tr.ok(tr.fac, "participant.setRole", map[string]any{"id": tr.parID, "role": "participant"})
	tr.refuse(tr.par, "action.add", action, "forbidden")
	roles := map[any]any{}
	for _, p := range tr.board(tr.notTok)["participants"].([]any) {
		m := p.(map[string]any)
		roles[m["id"]] = m["role"]
	}
	if roles[tr.facID] != "facilitator" || roles[tr.notID] != "notulis" || roles[tr.parID] != "participant" {
		t.Fatalf("snapshot roles %v", roles)
	}
	tr.checkSeq()
}

func TestRemoveParticipant(t *testing.T) {
	tr := newTrio(t, "kosong")
	col := tr.colIDs[0]
	second := tr.connect(tr.parTok)
	pn := tr.id(tr.par, "note.add", map[string]any{"columnId": col, "text": "catatan yang tetap"})
	tr.refuse(tr.not, "participant.remove", map[string]any{"id": tr.parID}, "forbidden")
	tr.refuse(tr.par, "participant.remove", map[string]any{"id": tr.notID}, "forbidden")
	tr.refuse(tr.fac, "participant.remove", map[string]any{"id": tr.facID}, "forbidden")
	tr.refuse(tr.fac, "participant.remove", map[string]any{"id": "nope"}, "not_found")

	tr.ok(tr.fac, "participant.remove", map[string]any{"id": tr.parID})
	for _, w := range []*wsClient{tr.fac, tr.not} {
		if ev := tr.eventFor(w, tr.last); ev["event"] != "participant.removed" || eventData(ev)["id"] != tr.parID {
			t.Fatalf("got %v, want participant.removed %s", ev, tr.parID)
		}
	}
	for i, w := range []*wsClient{tr.par, second} {
		if code := closeWithin(t, w, 5*time.Second); code != 4003 {
			t.Fatalf("connection %d of the removed participant: close code %d, want 4003", i, code)
		}
	}
	// The token is dead everywhere.
	cl := tr.ts.dial(tr.s.ID)
	cl.send(map[string]any{"type": "hello", "token": tr.parTok})
	if f := cl.next(); f["type"] != "error" || f["code"] != "unauthorized" {
		t.Fatalf("hello with a removed token: %v, want unauthorized", f)
	}
	if code := closeWithin(t, cl, 5*time.Second); code != 1008 {
		t.Fatalf("hello with a removed token: close %d, want 1008", code)
	}
	st, body := tr.ts.request("GET", "/api/sessions/"+tr.s.ID+"/board", authJSON(tr.parTok), nil)
	checkErrorBody(t, "board with a removed token", st, body, 401, "unauthorized")
	st, body = tr.ts.request("POST", "/api/sessions/"+tr.s.ID+"/commands", authJSON(tr.parTok),
		mustJSON(map[string]any{"type": "note.add", "ref": "x", "columnId": col, "text": "masih?"}))
	if st != 401 || !strings.Contains(string(body), `"unauthorized"`) {
		t.Fatalf("command with a removed token: %d %s, want 401 unauthorized", st, body)
	}
	tr.refuse(tr.fac, "participant.remove", map[string]any{"id": tr.parID}, "not_found")
	b := tr.board(tr.notTok)
	for _, p := range b["participants"].([]any) {
		if p.(map[string]any)["id"] == tr.parID {
			t.Fatalf("removed participant still listed")
		}
	}
	findIn(t, b, "notes", pn) // their notes stay
	// The others go on.
	tr.ok(tr.not, "note.add", map[string]any{"columnId": col, "text": "lanjut"})
	tr.checkSeq(tr.fac, tr.not)
}

func TestSessionCloseRules(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	col := tr.colIDs[0]
	pn := tr.id(tr.par, "note.add", map[string]any{"columnId": col, "text": "sebelum tutup"})
	tr.refuse(tr.par, "session.close", nil, "forbidden")
	tr.refuse(tr.not, "session.close", nil, "forbidden")
	tr.ok(tr.fac, "session.close", nil)
	tr.lastEvents("session.closed")

	cmds := []struct {
		typ    string
		fields map[string]any
	}{
		{"note.add", map[string]any{"columnId": col, "text": "x"}},
		{"note.update", map[string]any{"id": pn, "text": "x"}},
		{"note.delete", map[string]any{"id": pn}},
		{"phase.set", map[string]any{"phase": "vote"}},
		{"settings.update", map[string]any{"locked": false}},
		{"timer.start", map[string]any{"seconds": 10}},
		{"action.add", map[string]any{"text": "t", "owner": "o", "due": "2026-12-01"}},
		{"record.set", map[string]any{"targetId": nil, "text": "x"}},
		{"participant.setRole", map[string]any{"id": tr.parID, "role": "notulis"}},
		{"session.close", nil},
	}
	for _, c := range cmds {
		for _, w := range tr.clients() {
			tr.refuse(w, c.typ, c.fields, "closed")
		}
	}
	hdr := map[string]string{"Content-Type": "application/json"}
	st, body := tr.ts.request("POST", "/api/join", hdr, mustJSON(map[string]any{"code": tr.s.JoinCode, "name": "Telat"}))
	checkErrorBody(t, "join a closed session", st, body, 409, "closed")
	st, body = tr.ts.request("POST", "/api/sessions/"+tr.s.ID+"/commands", authJSON(tr.s.FacilitatorToken),
		mustJSON(map[string]any{"type": "note.add", "ref": "late", "columnId": col, "text": "x"}))
	if st != 409 || !strings.Contains(string(body), `"closed"`) {
		t.Fatalf("HTTP command after close: %d %s, want 409 closed", st, body)
	}
	b := tr.board(tr.parTok) // still readable
	if sessionOf(b)["closed"] != true || findIn(t, b, "notes", pn)["text"] != "sebelum tutup" {
		t.Fatalf("closed board: %v", sessionOf(b))
	}
	tr.checkSeq()
}
