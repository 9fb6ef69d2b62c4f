package clustertest

import (
	"testing"
	"time"
)

// walkDevices walks "A second device" (docs/protocol.md) through the
// balancer: its requests live in the owner's room, so every one that lands
// on another node is forwarded there. It returns the failed joins it made
// (a link claimed twice).
func walkDevices(t *testing.T, base string) int {
	t.Helper()
	var s struct{ ID, JoinCode, FacilitatorToken string }
	if st := httpJSON(t, "POST", base+"/api/sessions", "", map[string]any{"title": "Perangkat Klaster", "template": "kosong", "facilitatorName": "F"}, &s); st != 201 {
		t.Fatalf("create: %d", st)
	}
	var siti struct{ ParticipantID, Token string }
	if st := httpJSON(t, "POST", base+"/api/join", "", map[string]any{"code": s.JoinCode, "name": "Siti Rahayu"}, &siti); st != 201 {
		t.Fatalf("join: %d", st)
	}
	fac := dialPeer(t, base, s.ID, "dfac", s.FacilitatorToken)
	sessionURL := base + "/api/sessions/" + s.ID

	// (a) Links: made on one node, claimed on the next, spent once.
	var secret string
	for i := range 3 {
		var link struct{ Secret, Path string }
		if st := httpJSON(t, "POST", sessionURL+"/devices", siti.Token, nil, &link); st != 201 || link.Secret == "" {
			t.Fatalf("device link %d: %d %+v", i, st, link)
		}
		var got struct{ SessionID, ParticipantID, Token string }
		if st := httpJSON(t, "POST", sessionURL+"/devices/claim", "", map[string]any{"secret": link.Secret}, &got); st != 201 || got.ParticipantID != siti.ParticipantID || got.Token == "" || got.Token == siti.Token {
			t.Fatalf("claim %d: %d %+v", i, st, got)
		}
		var bd walkBoard
		if st := httpJSON(t, "GET", sessionURL+"/board", got.Token, nil, &bd); st != 200 || bd.You.Role != "participant" {
			t.Errorf("claim %d: the claimed token's board: %d, you %+v", i, st, bd.You)
		}
		secret = link.Secret
	}
	if st := httpJSON(t, "POST", sessionURL+"/devices/claim", "", map[string]any{"secret": secret}, nil); st != 404 {
		t.Errorf("a link claimed twice: %d, want 404", st)
	}

	// (b) The facilitator's approval: asked on one node, shown to the
	// facilitator's socket, polled and answered on the others.
	type answer struct {
		SessionID, RequestID, Status, ParticipantID, Token string
	}
	ask := func() answer {
		t.Helper()
		var a answer
		if st := httpJSON(t, "POST", base+"/api/rejoin", "", map[string]any{"code": s.JoinCode, "name": "  siti   RAHAYU "}, &a); st != 201 || a.RequestID == "" {
			t.Fatalf("rejoin ask: %d %+v", st, a)
		}
		return a
	}
	a := ask()
	waitFor(t, 10*time.Second, "the rejoin request at the facilitator's socket", func() bool {
		for _, f := range fac.frames() {
			if f.Type == "rejoin" {
				return true
			}
		}
		return false
	})
	for range 3 {
		var p answer
		if st := httpJSON(t, "GET", sessionURL+"/rejoin/"+a.RequestID, "", nil, &p); st != 202 || p.Status != "pending" {
			t.Fatalf("poll: %d %+v, want 202 pending", st, p)
		}
		var list struct {
			Requests []struct{ ID string }
		}
		if st := httpJSON(t, "GET", sessionURL+"/rejoin", s.FacilitatorToken, nil, &list); st != 200 || len(list.Requests) != 1 || list.Requests[0].ID != a.RequestID {
			t.Errorf("the facilitator's list: %d %+v", st, list)
		}
		if st := httpJSON(t, "GET", sessionURL+"/rejoin", siti.Token, nil, nil); st != 403 {
			t.Errorf("a participant's list: %d, want 403", st)
		}
	}
	if st := httpJSON(t, "POST", sessionURL+"/rejoin/"+a.RequestID, siti.Token, map[string]any{"approve": true}, nil); st != 403 {
		t.Errorf("a participant answering a request: %d, want 403", st)
	}
	if st := httpJSON(t, "POST", sessionURL+"/rejoin/"+a.RequestID, s.FacilitatorToken, map[string]any{"approve": true}, nil); st != 200 {
		t.Fatalf("approve: %d", st)
	}
	var p answer
	if st := httpJSON(t, "GET", sessionURL+"/rejoin/"+a.RequestID, "", nil, &p); st != 200 || p.Status != "approved" || p.ParticipantID != siti.ParticipantID || p.Token == "" {
		t.Fatalf("poll after approval: %d %+v", st, p)
	}
	if st := httpJSON(t, "GET", sessionURL+"/rejoin/"+a.RequestID, "", nil, nil); st != 404 {
		t.Errorf("the token handed out twice: %d, want 404", st)
	}
	for i := range 3 {
		if st := httpJSON(t, "GET", sessionURL+"/board", p.Token, nil, nil); st != 200 {
			t.Errorf("read %d: the approved device's board: %d", i, st)
		}
	}
	b := ask()
	if st := httpJSON(t, "POST", sessionURL+"/rejoin/"+b.RequestID, s.FacilitatorToken, map[string]any{"approve": false}, nil); st != 200 {
		t.Fatalf("refuse: %d", st)
	}
	if st := httpJSON(t, "GET", sessionURL+"/rejoin/"+b.RequestID, "", nil, nil); st != 403 {
		t.Errorf("poll after refusal: %d, want 403", st)
	}
	fac.checkStream(0)
	return 1
}
