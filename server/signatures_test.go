package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"rembuk/board"
)

// TestSignedAttendanceOverWebSocket: the facilitator asks everyone to
// sign; a participant adds NIP and jabatan and signs; the signature and
// NIP reach the participant, the facilitator and the notulis but not
// another participant (who sees only the tick); oversize and malformed
// paths are refused with clear errors; and after a restart the signature
// is still there, in the board and in the minutes.
func TestSignedAttendanceOverWebSocket(t *testing.T) {
	tr := newTrio(t, "kosong")
	tr.ok(tr.fac, "attendance.request", nil)
	tr.lastEvents("attendance.requested")
	tr.refuse(tr.par, "attendance.request", nil, "forbidden")

	other := tr.join("Budi Lain")
	oc := tr.connect(other.Token)
	const path = "M10 80L50 20L90 80M120 50L200 50"
	const nip = "19850312 201001 2 004"
	tr.ok(tr.par, "participant.update", map[string]any{"nip": nip, "jabatan": "Analis"})
	tr.ok(tr.par, "participant.sign", map[string]any{"path": "M10,80 L50 20 L90 80 M120 50 L200 50"})
	for i, w := range append(tr.clients(), oc) {
		ev := tr.eventFor(w, tr.last)
		raw, _ := json.Marshal(ev)
		sees := i < 3
		if ev["event"] != "participant.signed" || !strings.Contains(string(raw), `"signed":true`) {
			t.Fatalf("client %d: %s", i, raw)
		}
		if strings.Contains(string(raw), path) != sees {
			t.Errorf("client %d sees the signature = %v, want %v: %s", i, !sees, sees, raw)
		}
	}
	if strings.Contains(oc.raw.String(), nip) || strings.Contains(oc.raw.String(), path) {
		t.Error("another participant received the NIP or the signature")
	}
	tr.refuse(tr.par, "participant.sign", map[string]any{"path": "M1 1" + strings.Repeat("L2 2", board.MaxSignatureBytes/4)}, "too_large")
	tr.refuse(tr.par, "participant.sign", map[string]any{"path": "M301 1"}, "invalid")
	tr.refuse(tr.par, "participant.update", map[string]any{"nip": "NIP 123"}, "invalid")
	tr.checkSeq()

	// A restart rebuilds the state from the store.
	tr.ts.Stop()
	ts := startServer(t, tr.ts.DBPath)
	var b map[string]any
	if st := ts.do("GET", "/api/sessions/"+tr.s.ID+"/board", other.Token, nil, &b); st != 200 {
		t.Fatalf("board: %d", st)
	}
	raw, _ := json.Marshal(b)
	if strings.Contains(string(raw), path) || !strings.Contains(string(raw), `"signed":true`) {
		t.Errorf("after restart, another participant's board: %s", raw)
	}
	st, _, html := ts.minutes(tr.s.ID, tr.s.FacilitatorToken, "format=html")
	if st != 200 || !strings.Contains(string(html), `<path d="`+path+`"`) || !strings.Contains(string(html), nip) {
		t.Errorf("minutes after restart: status %d, signature or NIP missing", st)
	}
}
