package board

import (
	"strings"
	"testing"
)

func TestInvitationSet(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.participant("pa", "Ani", RoleParticipant)
	b.participant("nt", "Nita", RoleNotulis)
	inv := Invitation{Number: " 005/UND/XII/2026 ", Nature: "Biasa", Attachment: "-", Subject: "Undangan Rapat",
		To: "Kepala Seksi Pelayanan\nKepala Subbagian Tata Usaha", Place: "Aula", Agenda: "1. Pembukaan\n2. Diskusi",
		SignerTitle: "Kepala Balai", SignerName: "Dr. Ahmad", SignerNIP: "19780101 200501 1 001"}
	ch := b.do("fac", Command{Type: "invitation.set", Invitation: &inv})
	got := b.s.Session.Invitation
	if ch.Event.Name != "invitation.changed" || got == nil || got.Number != "005/UND/XII/2026" || got.To != inv.To {
		t.Fatalf("event %s, stored %+v", ch.Event.Name, got)
	}
	if len(ch.Puts) != 1 || ch.Puts[0].Kind != EntSession {
		t.Fatalf("puts %+v", ch.Puts)
	}
	// Everyone reads the letter's fields on the board.
	if v := b.s.Snapshot(Viewer{ID: "pa", Role: RoleParticipant}, nil, t0); v.Session.Invitation == nil || v.Session.Invitation.SignerName != "Dr. Ahmad" {
		t.Fatalf("participant's snapshot invitation %+v", v.Session.Invitation)
	}

	before := dump(t, b.s)
	b.refuse("nt", Command{Type: "invitation.set", Invitation: &inv}, CodeForbidden)
	b.refuse("pa", Command{Type: "invitation.set", Invitation: &inv}, CodeForbidden)
	b.refuse("fac", Command{Type: "invitation.set"}, CodeInvalid)
	for _, bad := range []Invitation{
		{Number: strings.Repeat("1", MaxInvNumber+1)},
		{Subject: strings.Repeat("x", MaxInvSubject+1)},
		{To: strings.Repeat("y", MaxInvTo+1)},
		{SignerNIP: strings.Repeat("9", MaxNIP+1)},
		{SignerName: strings.Repeat("n", MaxName+1)},
		{Place: "bad \xff utf-8"},
	} {
		b.refuse("fac", Command{Type: "invitation.set", Invitation: &bad}, CodeInvalid)
	}
	if after := dump(t, b.s); after != before {
		t.Fatalf("a refused invitation.set changed the state")
	}
	// Exactly at the limits is accepted; a field left out is emptied.
	b.do("fac", Command{Type: "invitation.set", Invitation: &Invitation{Number: strings.Repeat("1", MaxInvNumber), Nature: "Segera"}})
	if got := b.s.Session.Invitation; got.Subject != "" || got.Nature != "Segera" || len(got.Number) != MaxInvNumber {
		t.Fatalf("replaced invitation %+v", got)
	}
	b.do("fac", Command{Type: "session.close"})
	b.refuse("fac", Command{Type: "invitation.set", Invitation: &inv}, CodeClosed)
}
