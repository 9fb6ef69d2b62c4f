package server_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/fasthttp/websocket"
	_ "github.com/mattn/go-sqlite3"

	"rembuk/server"
)

// openSQL opens the server's database file read-only for inspection.
func openSQL(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dbBytes returns the database file and its -wal and -shm, concatenated.
func dbBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if err == nil {
			all = append(all, b...)
		}
	}
	if len(all) == 0 {
		t.Fatalf("no database bytes at %s", path)
	}
	return all
}

// Tokens are 128 random bits; only their SHA-256 reaches the database
// (file, WAL and shared memory scanned for the token, raw and encoded).
func TestSecurityTokensHashedAt128Bits(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani", "Bayu", "Citra")
	tokens := []string{s.FacilitatorToken}
	for _, j := range js {
		tokens = append(tokens, j.Token)
	}
	seen := map[string]bool{}
	for _, tok := range tokens {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(raw) != 16 {
			t.Fatalf("token %q: %d bytes (%v), want 16 random bytes in base64url", tok, len(raw), err)
		}
		if seen[tok] {
			t.Fatalf("token %q issued twice", tok)
		}
		seen[tok] = true
	}
	c, _ := ts.connect(s.ID, js[0].Token, nil)
	c.ack("note.add", "n1", map[string]any{"columnId": col, "text": "catatan"})
	ts.post(s.ID, js[1].Token, cmdOf("note.add", "n2", map[string]any{"columnId": col, "text": "catatan"}))

	scan := func(when string, b []byte) {
		for _, tok := range tokens {
			raw, _ := base64.RawURLEncoding.DecodeString(tok)
			if bytes.Contains(b, []byte(tok)) || bytes.Contains(b, raw) {
				t.Fatalf("%s: the database holds token %q", when, tok)
			}
		}
	}
	scan("live", dbBytes(t, ts.DBPath))
	db := openSQL(t, ts.DBPath)
	for _, tok := range tokens {
		h := sha256.Sum256([]byte(tok))
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM participants WHERE session_id = ? AND token_hash = ?`, s.ID, h[:]).Scan(&n); err != nil || n != 1 {
			t.Fatalf("token hash rows: %d (%v), want 1", n, err)
		}
	}
	db.Close()
	ts.Stop()
	scan("after shutdown", dbBytes(t, ts.DBPath))
}

// Join codes use only the alphabet without look-alikes, and people may
// type them in any case, with a space or dash.
func TestSecurityJoinCodes(t *testing.T) {
	ts := startServer(t, "", noCreateLimit)
	valid := regexp.MustCompile(`^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$`)
	var last created
	for i := 0; i < 200; i++ {
		last = ts.create("kosong")
		if !valid.MatchString(last.JoinCode) || strings.ContainsAny(last.JoinCode, "0O1IL") {
			t.Fatalf("join code %q: want 6 characters without 0/O/1/I/L", last.JoinCode)
		}
	}
	typed := strings.ToLower(last.JoinCode[:3]) + "-" + strings.ToLower(last.JoinCode[3:])
	if st := ts.do("POST", "/api/join", "", map[string]any{"code": " " + typed, "name": "Ani"}, nil); st != 201 {
		t.Fatalf("join with %q: %d, want 201", typed, st)
	}
}

// The WebSocket upgrade checks Origin: the same host (or no Origin, as
// from a non-browser client) is allowed, a foreign origin is refused with
// 403, and AllowedOrigins widens the check.
func TestSecurityWebSocketOrigin(t *testing.T) {
	try := func(ts *testServer, sid, origin string) int {
		t.Helper()
		u := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/sessions/" + sid
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		c, resp, err := websocket.DefaultDialer.Dial(u, h)
		if err == nil {
			c.Close()
			return 101
		}
		if resp == nil {
			t.Fatalf("dial with origin %q: %v", origin, err)
		}
		return resp.StatusCode
	}
	ts := startServer(t, "")
	s := ts.create("kosong")
	same := ts.URL // http://127.0.0.1:PORT
	for _, c := range []struct {
		origin string
		want   int
	}{
		{"", 101},
		{same, 101},
		{strings.ToUpper(same[:4]) + same[4:], 101},
		{"http://evil.example", 403},
		{"null", 403},
		{same + ".evil.example", 403},
		{"http://127.0.0.1:1", 403},
	} {
		if got := try(ts, s.ID, c.origin); got != c.want {
			t.Errorf("origin %q: %d, want %d", c.origin, got, c.want)
		}
	}
	wide := startServer(t, "", func(c *server.Config) { c.AllowedOrigins = []string{"https://rapat.example.go.id"} })
	s2 := wide.create("kosong")
	if got := try(wide, s2.ID, "https://rapat.example.go.id"); got != 101 {
		t.Errorf("allowed origin: %d, want 101", got)
	}
	if got := try(wide, s2.ID, "https://other.example"); got != 403 {
		t.Errorf("other origin with AllowedOrigins set: %d, want 403", got)
	}
}

// Every page and API answer, errors included, carries the security
// headers: a CSP without inline script or style and with frame-ancestors
// 'none', nosniff, no-referrer.
func TestSecurityHeadersEverywhere(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("kosong", "Ani")
	tok := js[0].Token
	bearer := map[string]string{"Authorization": "Bearer " + tok}
	jsonHdr := map[string]string{"Content-Type": "application/json"}
	fac := map[string]string{"Authorization": "Bearer " + s.FacilitatorToken}
	cmd := fmt.Sprintf(`{"type":"note.add","ref":"h1","columnId":%q,"text":"x"}`, col)
	reqs := []struct {
		method, path string
		hdr          map[string]string
		body         string
	}{
		{"GET", "/", nil, ""},
		{"GET", "/join/ABCDEF", nil, ""},
		{"GET", "/s/" + s.ID, nil, ""},
		{"GET", "/assets/index.html", nil, ""},
		{"GET", "/assets/favicon.svg", nil, ""},
		{"GET", "/assets/../../etc/passwd", nil, ""},
		{"GET", "/assets/nope.js", nil, ""},
		{"GET", "/nope", nil, ""},
		{"GET", "/healthz", nil, ""},
		{"GET", "/api/templates", nil, ""},
		{"GET", "/api/qr?data=x", nil, ""},
		{"GET", "/api/qr", nil, ""},
		{"POST", "/api/sessions", jsonHdr, `{"title":"T","template":"kosong","facilitatorName":"F"}`},
		{"POST", "/api/sessions", jsonHdr, `{`},
		{"POST", "/api/sessions", jsonHdr, `{"title":"` + strings.Repeat("x", 70<<10) + `"}`},
		{"POST", "/api/join", jsonHdr, `{"code":"ZZZZZZ","name":"X"}`},
		{"GET", "/api/sessions/" + s.ID + "/board", bearer, ""},
		{"GET", "/api/sessions/" + s.ID + "/board", nil, ""},
		{"GET", "/api/sessions/" + s.ID + "/minutes?format=md", fac, ""},
		{"GET", "/api/sessions/" + s.ID + "/minutes?format=md", bearer, ""},
		{"POST", "/api/sessions/" + s.ID + "/commands", bearer, cmd},
		{"POST", "/api/sessions/" + s.ID + "/commands", bearer, `{`},
		{"GET", "/api/sessions/" + s.ID + "/events?since=x", bearer, ""},
		{"GET", "/ws/sessions/" + s.ID, nil, ""},
		{"PUT", "/api/templates", nil, ""},
		{"DELETE", "/api/sessions/" + s.ID, bearer, ""},
	}
	for _, r := range reqs {
		resp, _ := ts.raw(r.method, r.path, r.hdr, r.body)
		checkHeaders(t, r.method+" "+r.path, resp.Header, resp.StatusCode)
	}
	// The SSE stream and a refused WebSocket upgrade too.
	sse := ts.sseOpen(s.ID, tok, nil, false)
	checkHeaders(t, "GET events", sse.resp.Header, 200)
	h := http.Header{"Origin": {"http://evil.example"}}
	_, resp, _ := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws/sessions/"+s.ID, h)
	if resp == nil {
		t.Fatal("foreign origin: no answer")
	}
	checkHeaders(t, "refused upgrade", resp.Header, resp.StatusCode)
}

func checkHeaders(t *testing.T, what string, h http.Header, status int) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") ||
		!strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("%s (%d): Content-Security-Policy %q", what, status, csp)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s (%d): X-Content-Type-Options %q", what, status, got)
	}
	if got := h.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("%s (%d): Referrer-Policy %q", what, status, got)
	}
}

// With the database closed under the running server, every answer is a
// contract error with a safe message: no error text, stack or SQL.
func TestSecurityNoInternalsWhenTheDatabaseFails(t *testing.T) {
	logs := &logBuffer{}
	ts := startServer(t, "", withLog(logs))
	s, js, col := ts.setup("kosong", "Ani")
	loaded, _ := ts.connect(s.ID, js[0].Token, nil)
	if err := ts.DB.Close(); err != nil {
		t.Fatal(err)
	}
	// The live socket: its command gets a safe error frame.
	f := loaded.cmd("note.add", "ws1", map[string]any{"columnId": col, "text": "t"})
	if f["type"] != "error" {
		t.Errorf("command with the database closed: %v, want an error", f)
	}
	checkNoInternals(t, "websocket", loaded.raw.Bytes())
	other := "00000000-0000-4000-8000-00000000abcd"
	bearer := map[string]string{"Authorization": "Bearer " + js[0].Token}
	jsonHdr := map[string]string{"Content-Type": "application/json"}
	reqs := []struct {
		method, path string
		hdr          map[string]string
		body         string
	}{
		{"GET", "/healthz", nil, ""},
		{"POST", "/api/sessions", jsonHdr, `{"title":"T","template":"kosong","facilitatorName":"F"}`},
		{"POST", "/api/join", jsonHdr, fmt.Sprintf(`{"code":%q,"name":"X"}`, s.JoinCode)},
		{"GET", "/api/sessions/" + other + "/board", bearer, ""},
		{"POST", "/api/sessions/" + other + "/commands", bearer, `{"type":"note.add","ref":"x","columnId":"c","text":"t"}`},
		{"POST", "/api/sessions/" + s.ID + "/commands", bearer, fmt.Sprintf(`{"type":"note.add","ref":"x","columnId":%q,"text":"t"}`, col)},
		{"GET", "/api/sessions/" + other + "/events", bearer, ""},
		{"DELETE", "/api/sessions/" + s.ID, map[string]string{"Authorization": "Bearer " + s.FacilitatorToken}, ""},
	}
	var fails int
	for _, r := range reqs {
		resp, body := ts.raw(r.method, r.path, r.hdr, r.body)
		checkNoInternals(t, r.method+" "+r.path, body)
		if resp.StatusCode >= 500 {
			fails++
		}
		t.Logf("%s %s: %d %s", r.method, r.path, resp.StatusCode, body)
	}
	if fails < 4 {
		t.Errorf("only %d requests failed with the database closed", fails)
	}
	if resp, _ := ts.raw("GET", "/healthz", nil, ""); resp.StatusCode != 503 {
		t.Errorf("healthz with the database closed: %d, want 503", resp.StatusCode)
	}
	// What was hidden from clients was logged.
	if !strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("no error logged:\n%s", logs)
	}
}

// The structured logs never hold a token, a passcode or a note's text,
// through joins, commands, refusals and errors.
func TestSecurityLogsHoldNoSecrets(t *testing.T) {
	logs := &logBuffer{}
	ts := startServer(t, "", withLog(logs))
	const passcode = "kunci-rahasia-42"
	var s created
	if st := ts.do("POST", "/api/sessions", "", map[string]any{"title": "Rapat", "template": "kosong", "facilitatorName": "Fasilitator", "passcode": passcode}, &s); st != 201 {
		t.Fatalf("create: %d", st)
	}
	var j joined
	if st := ts.do("POST", "/api/join", "", map[string]any{"code": s.JoinCode, "name": "Ani", "passcode": passcode}, &j); st != 201 {
		t.Fatalf("join: %d", st)
	}
	ts.do("POST", "/api/join", "", map[string]any{"code": s.JoinCode, "name": "Bayu", "passcode": "salah-" + passcode}, nil)
	var bd map[string]any
	ts.do("GET", "/api/sessions/"+s.ID+"/board", s.FacilitatorToken, nil, &bd)
	col := bd["columns"].([]any)[0].(map[string]any)["id"].(string)

	texts := []string{"TEKS-RAHASIA-satu", "TEKS-RAHASIA-dua", "TEKS-RAHASIA-tiga"}
	c, _ := ts.connect(s.ID, j.Token, nil)
	id := c.ack("note.add", "n1", map[string]any{"columnId": col, "text": texts[0]})["id"]
	c.ack("note.update", "n2", map[string]any{"id": id, "text": texts[1]})
	c.cmd("note.add", "n3", map[string]any{"columnId": "bukan-kolom", "text": texts[2]})
	c.cmd("note.add", "n4", map[string]any{"columnId": col, "text": strings.Repeat("R", 1001)})
	c.send("{\"type\":\"note.add\",\"ref\":\"n5\",\"text\":\"TEKS-RAHASIA-\xff\"}")
	c.send(`{"type":"note.add","ref":"n6","text":"TEKS-RAHASIA-lima"`)
	ts.post(s.ID, j.Token, cmdOf("note.add", "h1", map[string]any{"columnId": col, "text": "TEKS-RAHASIA-http"}))
	ts.post(s.ID, "bogus-"+j.Token, cmdOf("note.add", "h2", map[string]any{"columnId": col, "text": "TEKS-RAHASIA-tamu"}))
	bad := ts.dial(s.ID)
	bad.send(map[string]any{"type": "hello", "token": "bukan-" + j.Token})
	bad.waitClose()
	ts.raw("GET", "/api/sessions/"+s.ID+"/events?token=x"+j.Token, nil, "")
	ts.raw("GET", "/api/sessions/"+s.ID+"/minutes?format=md", map[string]string{"Authorization": "Bearer " + s.FacilitatorToken}, "")
	ts.DB.Close() // and internal errors
	c.cmd("note.add", "n7", map[string]any{"columnId": col, "text": "TEKS-RAHASIA-gagal2"})
	ts.post(s.ID, j.Token, cmdOf("note.add", "h3", map[string]any{"columnId": col, "text": "TEKS-RAHASIA-gagal"}))
	ts.Stop()

	out := logs.String()
	if !strings.Contains(out, `"msg":"session created"`) {
		t.Fatalf("the capture holds no server logs:\n%s", out)
	}
	for _, secret := range []string{s.FacilitatorToken, j.Token, passcode, "TEKS-RAHASIA", "RRRRRRRRRR"} {
		if strings.Contains(out, secret) {
			t.Fatalf("the logs hold %q:\n%s", secret, out)
		}
	}
	t.Logf("%d log lines, none with a token, passcode or note text:\n%s", strings.Count(out, "\n"), out)
}

// A facilitator deletes a session: every row of it goes, its sockets
// close, and afterwards it is 404. A participant may not.
func TestSecurityDeleteSession(t *testing.T) {
	ts := startServer(t, "")
	s, js, col := ts.setup("masalah-inovasi", "Ani")
	keep, _, keepCol := ts.setup("kosong", "Bayu")
	c, _ := ts.connect(s.ID, js[0].Token, nil)
	c.ack("note.add", "n1", map[string]any{"columnId": col, "text": "hapus aku"})
	ts.post(s.ID, s.FacilitatorToken, cmdOf("action.add", "a1", map[string]any{"text": "t", "owner": "o", "due": "2026-12-01"}))
	ts.post(s.ID, s.FacilitatorToken, cmdOf("record.set", "r1", map[string]any{"targetId": nil, "text": "kesimpulan"}))
	ts.post(keep.ID, keep.FacilitatorToken, cmdOf("note.add", "k1", map[string]any{"columnId": keepCol, "text": "tetap"}))

	if st := ts.do("DELETE", "/api/sessions/"+s.ID, js[0].Token, nil, nil); st != 403 {
		t.Fatalf("participant deletes: %d, want 403", st)
	}
	counts := sessionRows(t, ts.DBPath, s.ID)
	if counts["sessions"] != 1 || counts["participants"] != 2 || counts["events"] == 0 || counts["entities"] == 0 {
		t.Fatalf("rows before delete: %v", counts)
	}
	// The commands' refs are kept in their events (issue 12).
	if refs := countRows(t, ts.DBPath, `SELECT count(*) FROM events WHERE session_id = ? AND ref IS NOT NULL`, s.ID); refs == 0 {
		t.Fatalf("no command refs in the log before delete")
	}
	if st := ts.do("DELETE", "/api/sessions/"+s.ID, s.FacilitatorToken, nil, nil); st != 204 {
		t.Fatalf("facilitator deletes: %d, want 204", st)
	}
	for table, n := range sessionRows(t, ts.DBPath, s.ID) {
		if n != 0 {
			t.Errorf("after delete: %d rows of the session in %s", n, table)
		}
	}
	if kept := sessionRows(t, ts.DBPath, keep.ID); kept["sessions"] != 1 || kept["events"] == 0 {
		t.Errorf("another session lost rows: %v", kept)
	}
	if code := c.waitClose(); code < 1000 {
		t.Errorf("socket of the deleted session: close %d", code)
	}
	for _, r := range []struct{ method, path, tok string }{
		{"GET", "/api/sessions/" + s.ID + "/board", s.FacilitatorToken},
		{"GET", "/api/sessions/" + s.ID + "/board", ""},
		{"DELETE", "/api/sessions/" + s.ID, s.FacilitatorToken},
		{"POST", "/api/sessions/" + s.ID + "/commands", s.FacilitatorToken},
		{"GET", "/api/sessions/" + s.ID + "/events", js[0].Token},
		{"GET", "/api/sessions/" + s.ID + "/minutes?format=md", s.FacilitatorToken},
	} {
		var body any
		if r.method == "POST" {
			body = cmdOf("note.add", "z", map[string]any{"columnId": col, "text": "x"})
		}
		if st := ts.do(r.method, r.path, r.tok, body, nil); st != 404 {
			t.Errorf("%s %s after delete: %d, want 404", r.method, r.path, st)
		}
	}
	if st := ts.do("POST", "/api/join", "", map[string]any{"code": s.JoinCode, "name": "X"}, nil); st != 404 {
		t.Errorf("join after delete: %d, want 404", st)
	}
	w := ts.dial(s.ID)
	w.send(map[string]any{"type": "hello", "token": s.FacilitatorToken})
	if e := w.expect("error"); e["code"] != "unauthorized" {
		t.Errorf("hello after delete: %v", e)
	}
}

// sessionRows counts a session's rows in every table that has a
// session_id column (and sessions by id).
func sessionRows(t *testing.T, path, sessionID string) map[string]int {
	t.Helper()
	db := openSQL(t, path)
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]int{}
	for _, table := range tables {
		col := ""
		cols, _ := db.Query(`SELECT name FROM pragma_table_info(?)`, table)
		for cols.Next() {
			var c string
			cols.Scan(&c)
			if c == "session_id" {
				col = c
			}
		}
		cols.Close()
		if table == "sessions" {
			col = "id"
		}
		if col == "" {
			continue
		}
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM `+table+` WHERE `+col+` = ?`, sessionID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	// sessions, participants, entities, events (command refs live in
	// the events since issue 12).
	if len(out) < 4 {
		t.Fatalf("found only tables %v", out)
	}
	return out
}

// countRows runs a count query with one argument on the database file.
func countRows(t *testing.T, path, query string, arg any) int {
	t.Helper()
	db := openSQL(t, path)
	defer db.Close()
	var n int
	if err := db.QueryRow(query, arg).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
