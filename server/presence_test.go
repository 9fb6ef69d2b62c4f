package server_test

import (
	"testing"
)

// nextPresence reads w's frames until a presence frame arrives and returns who
// it lists as online; a presence frame lists {id, name, online} only.
func nextPresence(t *testing.T, w *wsClient) map[string]bool {
	t.Helper()
	for {
		f := w.next()
		if f["type"] != "presence" {
			continue
		}
		out := map[string]bool{}
		for _, p := range f["participants"].([]any) {
			m := p.(map[string]any)
			if len(m) != 3 || m["name"] == nil {
				t.Fatalf("presence entry %v, want exactly id, name, online", m)
			}
			out[m["id"].(string)] = m["online"].(bool)
		}
		if _, ok := f["seq"]; ok {
			t.Fatalf("presence frame %v is numbered", f)
		}
		return out
	}
}

// Joining and leaving change who is online for everyone; a second tab of
// someone already online changes nothing for the others, and the last tab
// closing takes them offline.
func TestPresenceOnline(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	a := ts.join(s.JoinCode, "Ani")
	b := ts.join(s.JoinCode, "Budi")
	fac, w := ts.connect(s.ID, s.FacilitatorToken, nil)
	if on := nextPresence(t, fac); !on[s.ParticipantID] || on[a.ParticipantID] || on[b.ParticipantID] {
		t.Fatalf("presence after the facilitator connects: %v", on)
	}
	for _, p := range w["board"].(map[string]any)["participants"].([]any) {
		if m := p.(map[string]any); m["id"] != s.ParticipantID && m["online"] != false {
			t.Fatalf("welcome lists %v online before they connect", m)
		}
	}
	ca, _ := ts.connect(s.ID, a.Token, nil)
	if on := nextPresence(t, fac); !on[a.ParticipantID] || on[b.ParticipantID] {
		t.Fatalf("presence after Ani connects: %v", on)
	}
	// The newcomer gets the list too.
	if on := nextPresence(t, ca); !on[a.ParticipantID] || !on[s.ParticipantID] {
		t.Fatalf("Ani's presence: %v", on)
	}
	// A second tab: that tab gets the list; the others get nothing new.
	ca2, _ := ts.connect(s.ID, a.Token, nil)
	if on := nextPresence(t, ca2); !on[a.ParticipantID] {
		t.Fatalf("second tab's presence: %v", on)
	}
	cb, _ := ts.connect(s.ID, b.Token, nil)
	if on := nextPresence(t, fac); !on[b.ParticipantID] || !on[a.ParticipantID] {
		t.Fatalf("presence after Budi connects (the second tab must not have sent one): %v", on)
	}
	// Closing one of Ani's tabs keeps her online; the next presence the
	// facilitator gets is Budi leaving.
	ca.c.Close()
	cb.c.Close()
	on := nextPresence(t, fac)
	if !on[a.ParticipantID] || on[b.ParticipantID] {
		t.Fatalf("presence after Budi leaves: %v", on)
	}
	ca2.c.Close()
	if on := nextPresence(t, fac); on[a.ParticipantID] || !on[s.ParticipantID] {
		t.Fatalf("presence after Ani's last tab closes: %v", on)
	}
	// A new connection's welcome agrees (about the others: the newcomer
	// itself is counted just after its welcome, and the presence frame
	// that follows says so).
	_, w2 := ts.connect(s.ID, b.Token, nil)
	for _, p := range w2["board"].(map[string]any)["participants"].([]any) {
		m := p.(map[string]any)
		if m["id"] == b.ParticipantID {
			continue
		}
		if want := m["id"] == s.ParticipantID; m["online"] != want {
			t.Fatalf("welcome participant %v, want online=%v", m, want)
		}
	}
}
