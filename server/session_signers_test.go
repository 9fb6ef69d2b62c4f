package server_test

import (
	"database/sql"
	"strings"
	"testing"
)

// The minutes' signature block (issue 10): city and acknowledgedBy are
// optional session fields. They are cleaned and stored at creation, come
// back in the snapshot (also after a restart, from the file), and head the
// minutes' signatures: "Jakarta, <date>" and "Mengetahui, <office>".
func TestCreateSessionCityAndAcknowledgedBy(t *testing.T) {
	ts := startServer(t, "")
	req := map[string]any{"title": "Rapat ZI", "template": "kosong", "facilitatorName": "Fasilitator",
		"scheduledAt": "2026-12-10T09:00", "city": "  Jakarta ",
		"acknowledgedBy": map[string]any{"title": "Kepala Balai Pelayanan", "name": "Dr. Ahmad Fauzi", "nip": "19780101 200501 1 001"}}
	var c created
	if st := ts.do("POST", "/api/sessions", "", req, &c); st != 201 {
		t.Fatalf("create: status %d", st)
	}
	type ack struct{ Title, Name, NIP string }
	type view struct {
		Session struct {
			City           *string `json:"city"`
			AcknowledgedBy *ack    `json:"acknowledgedBy"`
		} `json:"session"`
	}
	check := func(label string) {
		t.Helper()
		var v view
		if st := ts.do("GET", "/api/sessions/"+c.ID+"/board", c.FacilitatorToken, nil, &v); st != 200 {
			t.Fatalf("%s: board status %d", label, st)
		}
		if v.Session.City == nil || *v.Session.City != "Jakarta" {
			t.Errorf("%s: session.city %v, want Jakarta", label, v.Session.City)
		}
		if a := v.Session.AcknowledgedBy; a == nil || *a != (ack{"Kepala Balai Pelayanan", "Dr. Ahmad Fauzi", "19780101 200501 1 001"}) {
			t.Errorf("%s: session.acknowledgedBy %+v", label, a)
		}
	}
	check("fresh")
	for lang, want := range map[string][]string{
		"id": {"Jakarta, 10 Desember 2026", "Mengetahui,", "Kepala Balai Pelayanan,", "Dr. Ahmad Fauzi", "NIP. 19780101 200501 1 001"},
		"en": {"Jakarta, 10 December 2026", "Acknowledged by,", "Kepala Balai Pelayanan,"},
	} {
		st, _, body := ts.minutes(c.ID, c.FacilitatorToken, "format=md&lang="+lang)
		if st != 200 {
			t.Fatalf("minutes %s: status %d", lang, st)
		}
		for _, w := range want {
			if !strings.Contains(string(body), w) {
				t.Errorf("minutes %s lack %q", lang, w)
			}
		}
	}
	ts.Stop()
	ts = startServer(t, ts.DBPath)
	check("after a restart")

	// Without them: city is "" and acknowledgedBy null; no Mengetahui block.
	var bare created
	if st := ts.do("POST", "/api/sessions", "", map[string]any{"title": "Rapat", "template": "kosong", "facilitatorName": "F",
		"acknowledgedBy": map[string]any{"title": " ", "name": "", "nip": ""}}, &bare); st != 201 {
		t.Fatalf("create bare: status %d", st)
	}
	var raw struct {
		Session map[string]any `json:"session"`
	}
	ts.do("GET", "/api/sessions/"+bare.ID+"/board", bare.FacilitatorToken, nil, &raw)
	if city, ok := raw.Session["city"]; !ok || city != "" {
		t.Errorf("bare session.city %v (present %v), want \"\"", city, ok)
	}
	if a, ok := raw.Session["acknowledgedBy"]; !ok || a != nil {
		t.Errorf("bare session.acknowledgedBy %v (present %v), want null", a, ok)
	}
	if _, _, body := ts.minutes(bare.ID, bare.FacilitatorToken, "format=md"); strings.Contains(string(body), "Mengetahui") {
		t.Error("minutes without an official carry a Mengetahui block")
	}
}

// Bad city or acknowledgedBy: 400 invalid, and no session is created.
func TestCreateSessionSignersInvalid(t *testing.T) {
	ts := startServer(t, "")
	base := func(k string, v any) map[string]any {
		return map[string]any{"title": "Rapat", "template": "kosong", "facilitatorName": "F", k: v}
	}
	for name, body := range map[string]map[string]any{
		"city too long":          base("city", strings.Repeat("k", 81)),
		"city not a string":      base("city", 5),
		"official with no title": base("acknowledgedBy", map[string]any{"name": "Dr. Ahmad"}),
		"nip too long":           base("acknowledgedBy", map[string]any{"title": "Kepala", "nip": strings.Repeat("1", 41)}),
		"unknown key":            base("acknowledgedBy", map[string]any{"title": "Kepala", "jabatan": "x"}),
		"not an object":          base("acknowledgedBy", "Kepala Balai"),
	} {
		st, resp := ts.request("POST", "/api/sessions", map[string]string{"Content-Type": "application/json"}, mustJSON(body))
		checkErrorBody(t, name, st, resp, 400, "invalid")
	}
	db, err := sql.Open("sqlite3", "file:"+ts.DBPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d sessions stored (%v), want 0", n, err)
	}
}
