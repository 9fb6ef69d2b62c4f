package clustertest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// walkExtras walks the additions of docs/protocol.md that read or change a
// session from any node through the balancer: photos, the evidence pack,
// programmes and their register, and deleting a session.
func walkExtras(t *testing.T, base string) {
	t.Helper()
	var pr struct {
		ID, Key string
	}
	if st := httpJSON(t, "POST", base+"/api/programmes", "", map[string]any{"unit": "BP3KP Jawa I", "year": 2026, "target": "WBK",
		"chair": map[string]any{"name": "Dr. Ahmad", "nip": "1978"}}, &pr); st != 201 || pr.Key == "" {
		t.Fatalf("create programme: %d %+v", st, pr)
	}
	var s struct{ ID, JoinCode, FacilitatorToken, ProgrammeID string }
	if st := httpJSON(t, "POST", base+"/api/programmes/"+pr.ID+"/sessions", pr.Key, map[string]any{"title": "Rapat TPI", "template": "zona-integritas", "facilitatorName": "F"}, &s); st != 201 || s.ProgrammeID != pr.ID {
		t.Fatalf("create session in the programme: %d %+v", st, s)
	}
	fac := dialPeer(t, base, s.ID, "xfac", s.FacilitatorToken)
	fac.must("action.add", map[string]any{"text": "Sosialisasi gratifikasi", "owner": "Budi", "due": "2027-01-31"})
	for range 3 {
		var reg struct {
			Items []struct{ Text string }
		}
		if st := httpJSON(t, "GET", base+"/api/programmes/"+pr.ID+"/register", pr.Key, nil, &reg); st != 200 || len(reg.Items) != 1 || reg.Items[0].Text != "Sosialisasi gratifikasi" {
			t.Errorf("register: %d %+v, want the action just acked", st, reg)
		}
		var got struct {
			Sessions []struct{ ID string }
		}
		if st := httpJSON(t, "GET", base+"/api/programmes/"+pr.ID, pr.Key, nil, &got); st != 200 || len(got.Sessions) != 1 || got.Sessions[0].ID != s.ID {
			t.Errorf("programme: %d %+v", st, got)
		}
	}

	// Photos: uploaded on one node, listed and read on the others; the
	// facilitator's socket hears of it wherever it is.
	var img bytes.Buffer
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range m.Pix {
		m.Pix[i] = byte(i)
	}
	m.Set(1, 1, color.White)
	png.Encode(&img, m)
	req, _ := http.NewRequest("POST", base+"/api/sessions/"+s.ID+"/photos?caption=Suasana", bytes.NewReader(img.Bytes()))
	req.Header.Set("Content-Type", "image/png")
	req.Header.Set("Authorization", "Bearer "+s.FacilitatorToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || !strings.Contains(string(body), `"id"`) {
		t.Fatalf("photo upload: %d %s", resp.StatusCode, body)
	}
	photo := between(string(body), `"id":"`, `"`)
	waitFor(t, 10*time.Second, "the photos frame at the facilitator's socket", func() bool {
		for _, f := range fac.frames() {
			if f.Type == "photos" {
				return true
			}
		}
		return false
	})
	for i := range 3 {
		var list struct{ Photos []struct{ ID string } }
		if st := httpJSON(t, "GET", base+"/api/sessions/"+s.ID+"/photos", s.FacilitatorToken, nil, &list); st != 200 || len(list.Photos) != 1 || list.Photos[0].ID != photo {
			t.Errorf("photos %d: %d %+v", i, st, list)
		}
		for _, path := range []string{"", "/thumb"} {
			if st, hdr, b := getRaw(t, base+"/api/sessions/"+s.ID+"/photos/"+photo+path, s.FacilitatorToken); st != 200 || hdr.Get("Content-Type") != "image/jpeg" || len(b) == 0 {
				t.Errorf("photo%s %d: %d %s, %d bytes", path, i, st, hdr.Get("Content-Type"), len(b))
			}
		}
	}
	req, _ = http.NewRequest("DELETE", base+"/api/sessions/"+s.ID+"/photos/"+photo, nil)
	req.Header.Set("Authorization", "Bearer "+s.FacilitatorToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("photo delete: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}
	for i := range 3 {
		var list struct{ Photos []struct{ ID string } }
		if st := httpJSON(t, "GET", base+"/api/sessions/"+s.ID+"/photos", s.FacilitatorToken, nil, &list); st != 200 || len(list.Photos) != 0 {
			t.Errorf("photos %d after the delete: %d %+v", i, st, list)
		}
	}
	for range 2 {
		if st, hdr, b := getRaw(t, base+"/api/sessions/"+s.ID+"/pack", s.FacilitatorToken); st != 200 || hdr.Get("Content-Type") != "application/zip" || !bytes.HasPrefix(b, []byte("PK")) {
			t.Errorf("pack: %d %s, %d bytes", st, hdr.Get("Content-Type"), len(b))
		}
	}

	// Deleting the session: 204, the socket closes 1001, every node 404.
	part := dialPeer(t, base, s.ID, "xfac2", s.FacilitatorToken)
	req, _ = http.NewRequest("DELETE", base+"/api/sessions/"+s.ID, nil)
	req.Header.Set("Authorization", "Bearer "+s.FacilitatorToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("delete: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}
	for _, p := range []*peer{fac, part} {
		waitFor(t, 10*time.Second, p.name+"'s socket closed after the delete", func() bool { return p.closed() != 0 })
		if p.closed() != 1001 {
			t.Errorf("%s (on %s) closed with %d after the delete, want 1001", p.name, p.node, p.closed())
		}
	}
	for i := range 3 {
		if st := httpJSON(t, "GET", base+"/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, nil); st != 404 {
			t.Errorf("read %d of a deleted session: %d, want 404", i, st)
		}
	}
}

// between is the text of s after the first from, up to the next to.
func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, to)
	return out
}
