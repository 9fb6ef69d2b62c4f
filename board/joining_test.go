package board

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Closed joining refuses every new person with joining_closed; removed
// people do not count toward the cap.
func TestJoinRules(t *testing.T) {
	b := newBoard(t, KindOther)
	b.participant("pa", "Ani", RoleParticipant)
	b.do("fac", Command{Type: "settings.update", JoiningClosed: bp(true)})
	if _, err := b.s.Join(Participant{ID: "late", Name: "Telat", Role: RoleParticipant}); ErrorCode(err) != CodeJoiningClosed {
		t.Fatalf("join while closed: %v, want %s", err, CodeJoiningClosed)
	}
	if _, ok := b.s.Participants["late"]; ok {
		t.Fatal("a refused join left a participant")
	}
	b.do("fac", Command{Type: "settings.update", JoiningClosed: bp(false)})
	for i := len(b.s.Participants); i < MaxParticipants; i++ {
		b.join(fmt.Sprint("p", i), "Orang", RoleParticipant)
	}
	if _, err := b.s.Join(Participant{ID: "full", Name: "Penuh", Role: RoleParticipant}); ErrorCode(err) != CodeConflict {
		t.Fatalf("join 501: %v, want conflict", err)
	}
	b.do("fac", Command{Type: "participant.remove", ID: "pa"})
	b.join("seat", "Kursi kosong", RoleParticipant)
	if _, err := b.s.Join(Participant{ID: "full2", Name: "Penuh", Role: RoleParticipant}); ErrorCode(err) != CodeConflict {
		t.Fatalf("join past the freed seat: %v, want conflict", err)
	}
}

// session.rotateCode draws a new code from newID; only the facilitator and
// the notulis read it, in the event and in the snapshot.
func TestRotateCodeVisibility(t *testing.T) {
	b := newBoard(t, KindOther)
	b.participant("nt", "Nur", RoleNotulis)
	b.participant("pa", "Ani", RoleParticipant)
	b.refuse("nt", Command{Type: "session.rotateCode"}, CodeForbidden)
	b.refuse("pa", Command{Type: "session.rotateCode"}, CodeForbidden)
	ch := b.do("fac", Command{Type: "session.rotateCode"})
	code := b.s.Session.JoinCode
	if code == "ABC123" || len(code) != JoinCodeLen || strings.Trim(code, JoinAlphabet) != "" {
		t.Fatalf("new code %q", code)
	}
	if ch.Event.Name != "session.codeChanged" {
		t.Fatalf("event %s", ch.Event.Name)
	}
	for _, id := range []string{"fac", "nt", "pa"} {
		v := b.viewer(id)
		ev, _ := json.Marshal(b.s.Project(&ch.Event, b.s.ClassOf(&ch.Event, v)))
		snap := b.s.Snapshot(v, nil, t0).Session.JoinCode
		staff := id != "pa"
		if got := strings.Contains(string(ev), code); got != staff {
			t.Errorf("%s: event %s carries the code: %v, want %v", id, ev, got, staff)
		}
		if got := snap == code; got != staff {
			t.Errorf("%s: snapshot joinCode %q", id, snap)
		}
	}
	// The stored event decodes back to its type.
	raw, _ := json.Marshal(ch.Event.Data)
	d, err := DecodeEventData(ch.Event.Name, raw)
	if err != nil || d.(CodeData).JoinCode != code {
		t.Fatalf("decoded %v %v", d, err)
	}
}
