package server_test

import (
	"bytes"
	"database/sql"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/server"
	"rembuk/store"
)

var _ server.ProgrammeStore = (*store.DB)(nil)

// progClock is the programme tests' fixed clock: Thursday 10 December 2026.
var progClock = time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC)

func fixedClock(c *server.Config) { c.Clock = func() time.Time { return progClock } }

type programmeCreated struct {
	ID  string `json:"id"`
	Key string `json:"key"`
}

func (ts *testServer) createProgramme(unit string) programmeCreated {
	ts.t.Helper()
	var p programmeCreated
	body := map[string]any{"unit": unit, "year": 2026, "target": "WBK",
		"kop":   map[string]any{"instansi": "Kementerian PKP", "unit": unit, "alamat": "Jl. Merdeka 1, Jakarta"},
		"chair": map[string]any{"name": "Dr. Ahmad", "nip": "197801012005011001"}, "secretary": map[string]any{"name": "Sari", "nip": "1990"}}
	if st := ts.do("POST", "/api/programmes", "", body, &p); st != 201 || p.ID == "" || p.Key == "" {
		ts.t.Fatalf("create programme: status %d %+v", st, p)
	}
	return p
}

func (ts *testServer) createIn(p programmeCreated, template, title string) created {
	ts.t.Helper()
	var c created
	if st := ts.do("POST", "/api/programmes/"+p.ID+"/sessions", p.Key,
		map[string]any{"title": title, "template": template, "facilitatorName": "Fasilitator"}, &c); st != 201 {
		ts.t.Fatalf("create %s in programme: status %d", template, st)
	}
	return c
}

type errorBody struct {
	Error struct {
		Code string `json:"code"`
	} `json:"error"`
}

func TestProgrammeKeyRights(t *testing.T) {
	ts := startServer(t, "", fixedClock)
	for _, bad := range []map[string]any{
		{"unit": "", "year": 2026, "target": "WBK"},
		{"unit": "U", "year": 1900, "target": "WBK"},
		{"unit": "U", "year": 2026, "target": "ZI"},
		{"unit": "U", "year": 2026, "target": "WBK", "owner": "x"},
	} {
		var e errorBody
		if st := ts.do("POST", "/api/programmes", "", bad, &e); st != 400 || e.Error.Code != "invalid" {
			t.Errorf("create %v: %d %s, want 400 invalid", bad, st, e.Error.Code)
		}
	}
	a, b := ts.createProgramme("BP3KP Jawa I"), ts.createProgramme("BP3KP Jawa II")
	path := "/api/programmes/" + a.ID
	cases := []struct {
		name, method, path, key string
		want                    int
	}{
		{"no key", "GET", path, "", 401},
		{"wrong key", "GET", path, "bukan-kunci", 403},
		{"another programme's key", "GET", path, b.Key, 403},
		{"register without key", "GET", path + "/register", "", 401},
		{"register with another key", "GET", path + "/register", b.Key, 403},
		{"rotate without key", "POST", path + "/key", "", 401},
		{"session without key", "POST", path + "/sessions", "", 401},
		{"session with another key", "POST", path + "/sessions", b.Key, 403},
		{"unknown programme", "GET", "/api/programmes/00000000-0000-0000-0000-000000000000", a.Key, 404},
		{"own key", "GET", path, a.Key, 200},
	}
	for _, c := range cases {
		var body any
		if c.method == "POST" {
			body = map[string]any{"title": "x", "template": "kosong", "facilitatorName": "F"}
		}
		if st := ts.do(c.method, c.path, c.key, body, nil); st != c.want {
			t.Errorf("%s: status %d, want %d", c.name, st, c.want)
		}
	}
	// A session's facilitator token is no programme key.
	s := ts.createIn(a, "kosong", "Rapat")
	if st := ts.do("GET", path+"/register", s.FacilitatorToken, nil, nil); st != 403 {
		t.Errorf("register with a facilitator token: %d, want 403", st)
	}
	// Rotation: the new key works, the old one no longer does.
	var rot programmeCreated
	if st := ts.do("POST", path+"/key", a.Key, nil, &rot); st != 200 || rot.Key == "" || rot.Key == a.Key {
		t.Fatalf("rotate: %d %+v", st, rot)
	}
	if st := ts.do("GET", path, a.Key, nil, nil); st != 403 {
		t.Errorf("old key after rotation: %d, want 403", st)
	}
	if st := ts.do("GET", path, rot.Key, nil, nil); st != 200 {
		t.Errorf("new key: %d, want 200", st)
	}
	// At rest only hashes: neither key appears in the database file.
	ts.Stop()
	db, err := sql.Open("sqlite3", "file:"+ts.DBPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM programmes WHERE instr(key_hash, ?) > 0 OR instr(data, ?) > 0 OR instr(key_hash, ?) > 0 OR instr(data, ?) > 0`,
		[]byte(a.Key), a.Key, []byte(rot.Key), rot.Key).Scan(&n); err != nil || n != 0 {
		t.Errorf("a programme key is stored as it is (%d rows, %v)", n, err)
	}
}

type registerJSON struct {
	Today string `json:"today"`
	Items []struct {
		ActionID     string `json:"actionId"`
		Text         string `json:"text"`
		Area         string `json:"area"`
		Status       string `json:"status"`
		Overdue      bool   `json:"overdue"`
		Source       struct{ ID string }
		StatusSource *struct{ ID string }
		Progress     []struct {
			Text      string `json:"text"`
			SessionID string `json:"sessionId"`
		} `json:"progress"`
		Evidence []string `json:"evidence"`
	} `json:"items"`
	Areas []struct {
		No                         int
		Total, Done, Open, Overdue int
	} `json:"areas"`
}

func TestProgrammeMonitoringFlowsBack(t *testing.T) {
	ts := startServer(t, "", fixedClock)
	p := ts.createProgramme("BP3KP Jawa I")
	s1 := ts.createIn(p, "zona-integritas", "Rapat TPI I")
	w1, welcome := ts.connect(s1.ID, s1.FacilitatorToken, nil)
	sess := welcome["board"].(map[string]any)["session"].(map[string]any)
	prog, _ := sess["programme"].(map[string]any)
	if prog == nil || prog["kop"].(map[string]any)["instansi"] != "Kementerian PKP" || sess["unit"] != "BP3KP Jawa I" ||
		sess["acknowledgedBy"].(map[string]any)["name"] != "Dr. Ahmad" {
		t.Fatalf("a session in a programme lacks its letterhead and people: %v", sess)
	}
	cols := columnIDs(welcome)
	note := w1.ack("note.add", "n1", map[string]any{"columnId": cols[4], "text": "Gratifikasi belum dilaporkan"})["id"]
	late := w1.ack("action.add", "a1", map[string]any{"text": "Sosialisasi gratifikasi", "owner": "Budi", "due": "2026-12-01", "targetId": note})["id"].(string)
	w1.ack("action.add", "a2", map[string]any{"text": "Survei IKM", "owner": "Ani", "due": "2027-01-15", "area": "6"})
	w1.ack("action.add", "a3", map[string]any{"text": "Sudah beres", "owner": "Cici", "due": "2026-11-01", "done": true})
	// A participant of an ordinary session reports nothing.
	pj := ts.join(s1.JoinCode, "Peserta")
	wp, _ := ts.connect(s1.ID, pj.Token, nil)
	if f := wp.cmd("action.progress", "p1", map[string]any{"id": late, "text": "x"}); f["code"] != "forbidden" {
		t.Errorf("participant's progress outside monitoring: %v", f)
	}

	m := ts.createIn(p, board.TemplateMonitoring, "Monitoring I")
	var mb struct {
		Actions []struct {
			ID     string `json:"id"`
			Text   string `json:"text"`
			Origin *struct {
				SessionID string `json:"sessionId"`
				ActionID  string `json:"actionId"`
			} `json:"origin"`
		} `json:"actions"`
	}
	if st := ts.do("GET", "/api/sessions/"+m.ID+"/board", m.FacilitatorToken, nil, &mb); st != 200 || len(mb.Actions) != 2 {
		t.Fatalf("monitoring board: %d, %d actions (want the 2 open ones)", st, len(mb.Actions))
	}
	var copyID string
	for _, a := range mb.Actions {
		if a.Origin == nil || a.Origin.SessionID != s1.ID {
			t.Fatalf("copy without its origin: %+v", a)
		}
		if a.Origin.ActionID == late {
			copyID = a.ID
		}
	}
	// The team reports in the monitoring session: a participant closes it.
	mj := ts.join(m.JoinCode, "Budi")
	wm, _ := ts.connect(m.ID, mj.Token, nil)
	if f := wm.cmd("action.progress", "bad", map[string]any{"id": copyID, "evidence": []string{"javascript:alert(1)"}}); f["code"] != "invalid" {
		t.Errorf("bad evidence: %v", f)
	}
	wm.ack("action.progress", "done", map[string]any{"id": copyID, "status": "selesai", "text": "Sosialisasi 9 Desember",
		"evidence": []string{"https://drive.example.go.id/foto.jpg"}})

	var reg registerJSON
	if st := ts.do("GET", "/api/programmes/"+p.ID+"/register", p.Key, nil, &reg); st != 200 {
		t.Fatalf("register: %d", st)
	}
	if reg.Today != "2026-12-10" || len(reg.Items) != 3 {
		t.Fatalf("register: today %s, %d items", reg.Today, len(reg.Items))
	}
	for _, it := range reg.Items {
		switch it.Text {
		case "Sosialisasi gratifikasi":
			if it.Status != "selesai" || it.Overdue || it.Area != board.Areas[4] || it.StatusSource == nil || it.StatusSource.ID != m.ID ||
				len(it.Progress) != 1 || it.Progress[0].SessionID != m.ID || len(it.Evidence) != 1 || it.Source.ID != s1.ID {
				t.Errorf("closed in monitoring: %+v", it)
			}
		case "Survei IKM":
			if it.Status != "belum" || it.Overdue || it.Area != board.Areas[5] {
				t.Errorf("open, not due: %+v", it)
			}
		case "Sudah beres":
			if it.Status != "selesai" || it.Overdue {
				t.Errorf("done before: %+v", it)
			}
		}
	}
	if reg.Areas[4].Done != 1 || reg.Areas[5].Open != 1 {
		t.Errorf("area counts: %+v", reg.Areas)
	}
	// The programme page's list: both sessions, with their people.
	var pg struct {
		Sessions []server.ProgrammeSession `json:"sessions"`
	}
	if st := ts.do("GET", "/api/programmes/"+p.ID, p.Key, nil, &pg); st != 200 || len(pg.Sessions) != 2 {
		t.Fatalf("programme: %d %+v", st, pg.Sessions)
	}
	if pg.Sessions[0].ID != s1.ID || pg.Sessions[0].Participants != 2 || pg.Sessions[0].Notes != 1 || pg.Sessions[1].Template != board.TemplateMonitoring {
		t.Errorf("sessions: %+v", pg.Sessions)
	}
}

func TestProgrammeOverdueMarked(t *testing.T) {
	ts := startServer(t, "", fixedClock)
	p := ts.createProgramme("Balai")
	s1 := ts.createIn(p, "kosong", "Rapat")
	w, _ := ts.connect(s1.ID, s1.FacilitatorToken, nil)
	w.ack("action.add", "a1", map[string]any{"text": "Lewat", "owner": "Budi", "due": "2026-12-09"})
	w.ack("action.add", "a2", map[string]any{"text": "Hari ini", "owner": "Budi", "due": "2026-12-10"})
	var reg registerJSON
	ts.do("GET", "/api/programmes/"+p.ID+"/register", p.Key, nil, &reg)
	got := map[string]bool{}
	for _, it := range reg.Items {
		got[it.Text] = it.Overdue
	}
	if !got["Lewat"] || got["Hari ini"] || !strings.HasPrefix(reg.Today, "2026-12-10") {
		t.Errorf("overdue = %v (today %s), want only the one due yesterday", got, reg.Today)
	}
}

// lockedBuffer is a log sink the server's goroutines may share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestProgrammeKeyNeverLogged: at the most verbose level, the server's log
// of creating, reading, rotating and using a programme holds no key.
func TestProgrammeKeyNeverLogged(t *testing.T) {
	var sink lockedBuffer
	ts := startServer(t, "", fixedClock, func(c *server.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&sink, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	p := ts.createProgramme("Balai")
	ts.createIn(p, board.TemplateMonitoring, "Monitoring")
	ts.do("GET", "/api/programmes/"+p.ID+"/register", p.Key, nil, nil)
	ts.do("GET", "/api/programmes/"+p.ID, "salah", nil, nil)
	var rot programmeCreated
	ts.do("POST", "/api/programmes/"+p.ID+"/key", p.Key, nil, &rot)
	ts.do("GET", "/api/programmes/"+p.ID, rot.Key, nil, nil)
	ts.Stop()
	logs := sink.String()
	if !strings.Contains(logs, p.ID) {
		t.Fatalf("the log does not mention the programme at all, so this test proves nothing:\n%s", logs)
	}
	for _, k := range []string{p.Key, rot.Key} {
		if strings.Contains(logs, k) {
			t.Errorf("a programme key is in the log:\n%s", logs)
		}
	}
}
