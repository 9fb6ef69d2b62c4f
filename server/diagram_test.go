package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDiagramVisibility: the diagram endpoint lays out the board as the
// token's holder may see it — a note hidden by the private brainstorm
// reaches neither the roots, nor the layout, nor its links, until it is
// revealed; the facilitator's layout has it from the start.
func TestDiagramVisibility(t *testing.T) {
	ts := startServer(t, t.TempDir()+"/rembuk.db")
	s := ts.create("pohon-masalah")
	ani := ts.join(s.JoinCode, "Ani")
	budi := ts.join(s.JoinCode, "Budi")
	var b struct {
		Columns []struct{ ID, Kind string } `json:"columns"`
	}
	if st := ts.do("GET", "/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, &b); st != 200 || len(b.Columns) != 3 {
		t.Fatalf("board: %d %+v", st, b)
	}
	causeCol, probCol, effCol := b.Columns[0].ID, b.Columns[1].ID, b.Columns[2].ID
	n := 0
	cmd := func(token, typ string, fields map[string]any) string {
		t.Helper()
		n++
		st, ack := ts.post(s.ID, token, cmdOf(typ, "d"+string(rune('a'+n)), fields))
		if st != 200 {
			t.Fatalf("%s: status %d %v", typ, st, ack)
		}
		id, _ := ack["id"].(string)
		return id
	}
	prob := cmd(s.FacilitatorToken, "note.add", map[string]any{"columnId": probCol, "text": "Antrian layanan panjang"})
	open := cmd(s.FacilitatorToken, "note.add", map[string]any{"columnId": causeCol, "text": "Petugas loket kurang"})
	eff := cmd(s.FacilitatorToken, "note.add", map[string]any{"columnId": effCol, "text": "Nilai survei turun"})
	cmd(s.FacilitatorToken, "settings.update", map[string]any{"privateBrainstorm": true})
	secret := cmd(ani.Token, "note.add", map[string]any{"columnId": causeCol, "text": "RAHASIA sebab Ani"})
	cmd(s.FacilitatorToken, "link.add", map[string]any{"fromId": open, "toId": prob, "kind": "cause"})
	cmd(s.FacilitatorToken, "link.add", map[string]any{"fromId": secret, "toId": prob, "kind": "cause"})
	cmd(s.FacilitatorToken, "link.add", map[string]any{"fromId": prob, "toId": eff, "kind": "effect"})

	get := func(token, query string) (int, []byte) {
		t.Helper()
		resp, body := ts.raw("GET", "/api/sessions/"+s.ID+"/diagram"+query, map[string]string{"Authorization": "Bearer " + token}, "")
		return resp.StatusCode, body
	}
	nodes := func(body []byte) map[string]bool {
		t.Helper()
		var a struct {
			Root   *string `json:"root"`
			Layout *struct {
				Nodes []struct{ ID string } `json:"nodes"`
			} `json:"layout"`
		}
		if err := json.Unmarshal(body, &a); err != nil || a.Root == nil || *a.Root != prob || a.Layout == nil {
			t.Fatalf("answer %s (%v)", body, err)
		}
		out := map[string]bool{}
		for _, nd := range a.Layout.Nodes {
			out[nd.ID] = true
		}
		return out
	}
	for _, view := range []string{"fishbone", "tree"} {
		st, body := get(budi.Token, "?view="+view)
		if st != 200 {
			t.Fatalf("%s for Budi: %d %s", view, st, body)
		}
		if strings.Contains(string(body), "RAHASIA") || strings.Contains(string(body), secret) {
			t.Errorf("%s for Budi holds the hidden note: %s", view, body)
		}
		got := nodes(body)
		if !got[open] || got[secret] || (view == "tree" && !got[eff]) {
			t.Errorf("%s for Budi: nodes %v", view, got)
		}
		st, body = get(s.FacilitatorToken, "?view="+view+"&root="+prob)
		if st != 200 || !nodes(body)[secret] || !strings.Contains(string(body), "RAHASIA") {
			t.Errorf("%s for the facilitator lacks the cause it may read: %d %s", view, st, body)
		}
		if st, body := get(ani.Token, "?view="+view); st != 200 || !nodes(body)[secret] {
			t.Errorf("%s for its author lacks the note: %d %s", view, st, body)
		}
	}
	cmd(s.FacilitatorToken, "notes.reveal", nil)
	if st, body := get(budi.Token, "?view=tree"); st != 200 || !nodes(body)[secret] {
		t.Errorf("after the reveal, Budi's tree lacks the cause: %d %s", st, body)
	}
	// Bad requests: a hidden or unknown root, a cause as root, a bad view, no token.
	for _, c := range []struct {
		token, query string
		status       int
	}{
		{budi.Token, "?root=nope", 404}, {budi.Token, "?root=" + open, 404},
		{budi.Token, "?view=pie", 400}, {"", "", 401},
	} {
		if st, body := get(c.token, c.query); st != c.status {
			t.Errorf("GET diagram%s: %d %s, want %d", c.query, st, body, c.status)
		}
	}
}
