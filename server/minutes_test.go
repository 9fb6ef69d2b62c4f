package server_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// get fetches a minutes download and returns status, headers and body.
func (ts *testServer) minutes(id, token, query string) (int, http.Header, []byte) {
	ts.t.Helper()
	hdr := map[string]string{}
	if token != "" {
		hdr["Authorization"] = "Bearer " + token
	}
	resp, b := ts.raw("GET", "/api/sessions/"+id+"/minutes?"+query, hdr, nil)
	return resp.StatusCode, resp.Header, b
}

func TestMinutesPermissionsAndFormats(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("masalah-inovasi")
	a := ts.join(s.JoinCode, "Ani Ñuñez")
	n := ts.join(s.JoinCode, "Nina Notulis")
	fac, w := ts.connect(s.ID, s.FacilitatorToken, nil)
	fac.ack("participant.setRole", "r1", map[string]any{"id": n.ParticipantID, "role": "notulis"})
	ca, _ := ts.connect(s.ID, a.Token, nil)
	ca.ack("note.add", "a1", map[string]any{"columnId": columnIDs(w)[0], "text": "Antrian panjang di loket"})

	if st, _, _ := ts.minutes(s.ID, "", "format=md"); st != 401 {
		t.Fatalf("no token: status %d, want 401", st)
	}
	if st, _, _ := ts.minutes(s.ID, a.Token, "format=md"); st != 403 {
		t.Fatalf("participant: status %d, want 403", st)
	}
	if st, _, _ := ts.minutes(s.ID, s.FacilitatorToken, "format=xls"); st != 400 {
		t.Fatalf("unknown format: status %d, want 400", st)
	}
	for _, f := range []string{"md", "html", "docx", "pdf", "csv", "json"} {
		st, h, body := ts.minutes(s.ID, n.Token, "format="+f+"&lang=id")
		if st != 200 {
			t.Fatalf("%s by notulis: status %d, want 200: %s", f, st, body)
		}
		if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "."+f) {
			t.Fatalf("%s: Content-Disposition %q", f, cd)
		}
		_, _, facBody := ts.minutes(s.ID, s.FacilitatorToken, "format="+f+"&lang=id")
		if (f == "md" || f == "csv") && string(facBody) != string(body) { // json carries serverTime
			t.Fatalf("%s: the notulis's minutes differ from the facilitator's", f)
		}
		switch f {
		case "md":
			if !strings.Contains(string(body), "Diskusi Uji") || !strings.Contains(string(body), "Antrian panjang di loket") {
				t.Fatalf("md lacks title or note:\n%s", body)
			}
		case "pdf":
			if !strings.HasPrefix(string(body), "%PDF-") {
				t.Fatalf("pdf does not start with %%PDF-")
			}
		case "csv":
			// lang=id: Indonesian headers and ";" (issue 10); lang=en keeps the contract's.
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\ufeff")))
			r.Comma = ';'
			rows, err := r.ReadAll()
			if err != nil || len(rows) != 2 || strings.Join(rows[0], ";") != "kolom;grup;teks;penulis;suara;u;s;g;total;jenis;unit" {
				t.Fatalf("csv: rows %v err %v", rows, err)
			}
			_, _, en := ts.minutes(s.ID, n.Token, "format=csv&lang=en")
			rows, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(string(en), "\ufeff"))).ReadAll()
			if err != nil || len(rows) != 2 || strings.Join(rows[0], ",") != "column,group,text,author,votes,u,s,g,total,kind,unit" {
				t.Fatalf("csv lang=en: rows %v err %v", rows, err)
			}
			// No lang: the contract's csv (commas, its header names first).
			_, _, plain := ts.minutes(s.ID, n.Token, "format=csv")
			rows, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(string(plain), "\ufeff"))).ReadAll()
			if err != nil || len(rows) != 2 || !strings.HasPrefix(strings.Join(rows[0], ","), "column,group,text,author,votes,u,s,g,total") {
				t.Fatalf("csv without lang: rows %v err %v", rows, err)
			}
		case "json":
			var v struct {
				Board      map[string]any   `json:"board"`
				Attendance []map[string]any `json:"attendance"`
			}
			if err := json.Unmarshal(body, &v); err != nil || len(v.Attendance) != 3 {
				t.Fatalf("json: %v, attendance %d", err, len(v.Attendance))
			}
		}
	}
}

// A join that brings a token of the session is the same person again: no
// new participant, no new row in the attendance list.
func TestRejoinWithTokenIsSamePerson(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	a := ts.join(s.JoinCode, "Ani")
	var again joined
	if st := ts.do("POST", "/api/join", "", map[string]any{"code": s.JoinCode, "name": "Ani", "token": a.Token}, &again); st != 200 {
		t.Fatalf("rejoin status %d, want 200", st)
	}
	if again.ParticipantID != a.ParticipantID || again.Token != a.Token {
		t.Fatalf("rejoin gave %+v, want participant %s", again, a.ParticipantID)
	}
	var other joined
	if st := ts.do("POST", "/api/join", "", map[string]any{"code": s.JoinCode, "name": "Budi", "token": "not-a-token"}, &other); st != 201 || other.ParticipantID == a.ParticipantID {
		t.Fatalf("join with a foreign token: status %d, %+v", st, other)
	}
	var b map[string]any
	ts.do("GET", "/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, &b)
	if n := len(b["participants"].([]any)); n != 3 {
		t.Fatalf("participants %d, want 3 (facilitator, Ani, Budi)", n)
	}
}
