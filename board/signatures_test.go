package board

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseSignature(t *testing.T) {
	strokes, canon, err := ParseSignature(" M10,20 L11 21 12 22M300 100")
	if err != nil {
		t.Fatal(err)
	}
	if canon != "M10 20L11 21L12 22M300 100" || len(strokes) != 2 || len(strokes[0]) != 3 {
		t.Fatalf("canon %q strokes %v", canon, strokes)
	}
	for _, c := range []struct{ path, code string }{
		{"", CodeInvalid},
		{"L1 1", CodeInvalid},
		{"10 10", CodeInvalid},
		{"M1", CodeInvalid},
		{"M301 0", CodeInvalid},
		{"M0 101", CodeInvalid},
		{"M00001 1", CodeInvalid},
		{"M-1 0", CodeInvalid},
		{"M1 1<script>", CodeInvalid},
		{"M1 1" + strings.Repeat("L2 2", MaxSignaturePoints), CodeTooLarge},
		{"M1 1" + strings.Repeat(" ", MaxSignatureBytes), CodeTooLarge},
	} {
		if _, _, err := ParseSignature(c.path); ErrorCode(err) != c.code {
			t.Errorf("ParseSignature(%.30q) = %v, want %s", c.path, err, c.code)
		}
	}
	// Exactly at the limits is accepted.
	pts := "M0 0" + strings.Repeat("L1 1", MaxSignaturePoints-1)
	if len(pts) <= MaxSignatureBytes {
		if _, _, err := ParseSignature(pts); err != nil {
			t.Fatalf("at the point limit: %v", err)
		}
	}
}

func TestSignAndUpdate(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.participant("pa", "Ani", RoleParticipant)
	b.participant("pb", "Budi", RoleParticipant)
	b.participant("nt", "Nita", RoleNotulis)
	ch := b.do("pa", Command{Type: "participant.sign", Path: sp("M1 2 L3 4")})
	if ch.Event.Name != "participant.signed" || b.s.Participants["pa"].Signature != "M1 2L3 4" {
		t.Fatalf("event %s, stored %q", ch.Event.Name, b.s.Participants["pa"].Signature)
	}
	if len(ch.Puts) != 1 || ch.Puts[0].Kind != EntParticipant {
		t.Fatalf("puts %+v", ch.Puts)
	}
	b.do("pa", Command{Type: "participant.sign", Path: sp("M5 5L6 6")}) // re-signing replaces
	if got := b.s.Participants["pa"].Signature; got != "M5 5L6 6" {
		t.Fatalf("re-signed %q", got)
	}
	before := dump(t, b.s)
	b.refuse("pa", Command{Type: "participant.sign"}, CodeInvalid)
	b.refuse("pa", Command{Type: "participant.sign", Path: sp("M1 1" + strings.Repeat("L2 2", MaxSignaturePoints))}, CodeTooLarge)
	b.refuse("pa", Command{Type: "participant.update", NIP: sp("19780101 abc")}, CodeInvalid)
	b.refuse("pa", Command{Type: "participant.update", NIP: sp(strings.Repeat("1", MaxParticipantNIP+1))}, CodeInvalid)
	b.refuse("pa", Command{Type: "participant.update", Jabatan: sp(strings.Repeat("j", MaxJabatan+1))}, CodeInvalid)
	b.refuse("pa", Command{Type: "participant.update"}, CodeInvalid)
	assertUnchanged(t, b.s, before, "refused sign/update")
	b.do("pa", Command{Type: "participant.update", NIP: sp(" 19780101 200501 1 001 "), Jabatan: sp("Analis\u202e Kebijakan")})
	p := b.s.Participants["pa"]
	if p.NIP != "19780101 200501 1 001" || p.Jabatan != "Analis Kebijakan" {
		t.Fatalf("nip %q jabatan %q", p.NIP, p.Jabatan)
	}
	b.do("pa", Command{Type: "participant.update", Jabatan: sp("Kepala")}) // NIP absent: kept
	if p := b.s.Participants["pa"]; p.NIP == "" || p.Jabatan != "Kepala" {
		t.Fatalf("after partial update %+v", p)
	}
	// Signing and the NIP go on under the lock; after close nothing does.
	b.settings(Command{Locked: bp(true)})
	b.do("pb", Command{Type: "participant.sign", Path: sp("M9 9")})
	b.do("fac", Command{Type: "attendance.request"})
	b.refuse("pb", Command{Type: "attendance.request"}, CodeForbidden)
	b.do("fac", Command{Type: "session.close"})
	b.refuse("pb", Command{Type: "participant.sign", Path: sp("M8 8")}, CodeClosed)
}

// TestSignatureVisibility: the signature and NIP reach their owner, the
// facilitator and the notulis; other participants learn only "signed" and
// the jabatan, in snapshots and in events.
func TestSignatureVisibility(t *testing.T) {
	b := newBoard(t, KindProblem)
	b.participant("pa", "Ani", RoleParticipant)
	b.participant("pb", "Budi", RoleParticipant)
	b.participant("nt", "Nita", RoleNotulis)
	b.do("pa", Command{Type: "participant.update", NIP: sp("1978 0101"), Jabatan: sp("Analis")})
	ch := b.do("pa", Command{Type: "participant.sign", Path: sp("M123 45L67 89")})
	secret := []byte("M123 45L67 89")
	nip := []byte("1978 0101")
	for _, c := range []struct {
		id   string
		sees bool
	}{{"pa", true}, {"fac", true}, {"nt", true}, {"pb", false}} {
		v := b.viewer(c.id)
		ev := mustJSON(t, b.s.Project(&ch.Event, b.s.ClassKey(&ch.Event, v)))
		snap := mustJSON(t, b.s.Snapshot(v, nil, t0))
		for _, raw := range [][]byte{ev, snap} {
			if bytes.Contains(raw, secret) != c.sees || bytes.Contains(raw, nip) != c.sees {
				t.Errorf("%s sees signature/NIP = %v, want %v: %s", c.id, !c.sees, c.sees, raw)
			}
			if !bytes.Contains(raw, []byte(`"signed":true`)) || !bytes.Contains(raw, []byte("Analis")) {
				t.Errorf("%s misses the signed tick or jabatan: %s", c.id, raw)
			}
		}
	}
	// Classes differ, so the server never shares one encoding across them.
	if b.s.ClassKey(&ch.Event, b.viewer("pb")) == b.s.ClassKey(&ch.Event, b.viewer("nt")) {
		t.Fatal("participant and notulis share a class for a signature event")
	}
}
