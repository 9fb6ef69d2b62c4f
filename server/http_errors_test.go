package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"rembuk/board"
)

// Creating a session refuses missing fields and unknown templates with 400
// invalid, and stores nothing.
func TestHTTPCreateInvalid(t *testing.T) {
	ts := startServer(t, "")
	full := map[string]any{"title": "Rapat", "template": "kosong", "facilitatorName": "Fasilitator"}
	without := func(k string) map[string]any {
		m := map[string]any{}
		for kk, v := range full {
			if kk != k {
				m[kk] = v
			}
		}
		return m
	}
	with := func(k string, v any) map[string]any {
		m := without(k)
		m[k] = v
		return m
	}
	cases := []struct {
		name string
		body []byte
	}{
		{"no title", mustJSON(without("title"))},
		{"blank title", mustJSON(with("title", "   "))},
		{"no template", mustJSON(without("template"))},
		{"unknown template", mustJSON(with("template", "nope"))},
		{"no facilitatorName", mustJSON(without("facilitatorName"))},
		{"blank facilitatorName", mustJSON(with("facilitatorName", "\t"))},
		{"title too long", mustJSON(with("title", strings.Repeat("x", 201)))},
		{"title not a string", mustJSON(with("title", 5))},
		{"unknown field", mustJSON(with("extra", true))},
		{"not JSON", []byte("{title:")},
		{"empty body", []byte{}},
		{"array", []byte("[]")},
	}
	for _, c := range cases {
		st, body := ts.request("POST", "/api/sessions", map[string]string{"Content-Type": "application/json"}, c.body)
		checkErrorBody(t, c.name, st, body, 400, "invalid")
	}
	// The same request with every field is created.
	st, body := ts.request("POST", "/api/sessions", map[string]string{"Content-Type": "application/json"}, mustJSON(full))
	if st != 201 {
		t.Fatalf("valid create: status %d, body %s", st, body)
	}
}

// Join errors: unknown code 404, wrong passcode 403, closed 409 closed.
func TestHTTPJoinErrors(t *testing.T) {
	ts := startServer(t, "")
	var s created
	if st := ts.do("POST", "/api/sessions", "", map[string]any{"title": "Rahasia", "template": "kosong",
		"facilitatorName": "Fasilitator", "passcode": "sandi-123"}, &s); st != 201 {
		t.Fatalf("create with passcode: status %d", st)
	}
	hdr := map[string]string{"Content-Type": "application/json"}
	join := func(body map[string]any) (int, []byte) { return ts.request("POST", "/api/join", hdr, mustJSON(body)) }

	st, b := join(map[string]any{"code": "ZZZZZZ", "name": "Ani"})
	checkErrorBody(t, "unknown code", st, b, 404, "not_found")
	st, b = join(map[string]any{"code": s.JoinCode, "name": "Ani", "passcode": "salah"})
	checkErrorBody(t, "wrong passcode", st, b, 403, "forbidden")
	st, b = join(map[string]any{"code": s.JoinCode, "name": "Ani"})
	checkErrorBody(t, "missing passcode", st, b, 403, "forbidden")
	st, b = join(map[string]any{"code": s.JoinCode, "passcode": "sandi-123"})
	checkErrorBody(t, "missing name", st, b, 400, "invalid")
	st, b = join(map[string]any{"code": s.JoinCode, "name": strings.Repeat("n", 81), "passcode": "sandi-123"})
	checkErrorBody(t, "name too long", st, b, 400, "invalid")

	// The right passcode joins, with the code typed loosely.
	loose := strings.ToLower(s.JoinCode[:3]) + "-" + s.JoinCode[3:]
	st, b = join(map[string]any{"code": loose, "name": "Ani", "passcode": "sandi-123"})
	if st != 201 {
		t.Fatalf("join with passcode: status %d, body %s", st, b)
	}

	c, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
	c.ack("session.close", "close", nil)
	st, b = join(map[string]any{"code": s.JoinCode, "name": "Budi", "passcode": "sandi-123"})
	checkErrorBody(t, "closed session", st, b, 409, "closed")
}

// More than ten failed joins from one address in a minute are refused with
// 429, even with a right code; failures of other kinds do not count.
func TestHTTPJoinRateLimit(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	hdr := map[string]string{"Content-Type": "application/json"}
	// Invalid bodies are not failed joins.
	for i := 0; i < 5; i++ {
		st, b := ts.request("POST", "/api/join", hdr, mustJSON(map[string]any{"code": s.JoinCode}))
		checkErrorBody(t, "no name", st, b, 400, "invalid")
	}
	for i := 0; i < 10; i++ {
		st, b := ts.request("POST", "/api/join", hdr, mustJSON(map[string]any{"code": fmt.Sprintf("QQQQ%02d", i), "name": "Ani"}))
		checkErrorBody(t, fmt.Sprint("failed join ", i+1), st, b, 404, "not_found")
	}
	st, b := ts.request("POST", "/api/join", hdr, mustJSON(map[string]any{"code": s.JoinCode, "name": "Ani"}))
	checkErrorBody(t, "11th join", st, b, 429, "rate_limited")
	st, b = ts.request("POST", "/api/join", hdr, mustJSON(map[string]any{"code": "QQQQQQ", "name": "Ani"}))
	checkErrorBody(t, "12th join", st, b, 429, "rate_limited")
	// Other endpoints are not affected.
	var tpl []any
	if st := ts.do("GET", "/api/templates", "", nil, &tpl); st != 200 || len(tpl) != len(board.Templates()) {
		t.Fatalf("templates after the limit: status %d, %d templates", st, len(tpl))
	}
}

// A body over 64 KiB is refused with 413 too_large on every JSON endpoint.
func TestHTTPBodyTooLarge(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("kosong")
	big := mustJSON(map[string]any{"title": strings.Repeat("x", 64<<10), "template": "kosong", "facilitatorName": "F"})
	hdr := map[string]string{"Content-Type": "application/json"}
	for _, path := range []string{"/api/sessions", "/api/join"} {
		st, b := ts.postBig(path, hdr, big)
		checkErrorBody(t, path, st, b, 413, "too_large")
	}
	// The command endpoint answers with its error frame, which carries
	// the contract's error object too.
	st, b := ts.postBig("/api/sessions/"+s.ID+"/commands", authJSON(s.FacilitatorToken), big)
	var cb struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(b, &cb); err != nil || st != 413 || cb.Error.Code != "too_large" || cb.Error.Message == "" {
		t.Errorf("commands: status %d, body %s, want 413 with error too_large", st, b)
	}
	checkNoInternals(t, "commands", b)
	// Just under the limit is read (and refused for its content only).
	under := mustJSON(map[string]any{"title": strings.Repeat("x", 60<<10), "template": "kosong", "facilitatorName": "F"})
	st, b = ts.request("POST", "/api/sessions", hdr, under)
	checkErrorBody(t, "under the limit", st, b, 400, "invalid")
}

// postBig sends a body the server refuses before reading it all. The
// server may answer and close while the client still writes, so a write
// error ("broken pipe", "reset") is retried: the answer is what counts.
func (ts *testServer) postBig(path string, hdr map[string]string, body []byte) (int, []byte) {
	ts.t.Helper()
	var err error
	for try := 0; try < 10; try++ {
		req, _ := http.NewRequest("POST", ts.URL+path, bytes.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		var resp *http.Response
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, b
	}
	ts.t.Fatalf("POST %s: %v", path, err)
	return 0, nil
}

// postDeclared sends a POST that declares a body of length n and writes
// only its first bytes, then reads the answer: a server that refuses a body
// by its declared length answers at once, and the test does not race the
// upload against the server's close (which a write of the whole body does).
func (ts *testServer) postDeclared(path string, hdr map[string]string, n int, first []byte) (int, []byte) {
	ts.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		ts.t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	var req strings.Builder
	fmt.Fprintf(&req, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", path, strings.TrimPrefix(ts.URL, "http://"), n)
	for k, v := range hdr {
		fmt.Fprintf(&req, "%s: %s\r\n", k, v)
	}
	req.WriteString("\r\n")
	if _, err := conn.Write(append([]byte(req.String()), first...)); err != nil {
		ts.t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		ts.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// GET board: 401 without a token or with another session's token, 404 for
// an unknown session whatever the token.
func TestHTTPBoardAuth(t *testing.T) {
	ts := startServer(t, "")
	s1 := ts.create("kosong")
	s2 := ts.create("kosong")
	p := ts.join(s1.JoinCode, "Ani")
	path := func(id string) string { return "/api/sessions/" + id + "/board" }
	unknown := "00000000-0000-4000-8000-000000000000"
	cases := []struct {
		name   string
		id     string
		hdr    map[string]string
		status int
		code   string
	}{
		{"no token", s1.ID, nil, 401, "unauthorized"},
		{"empty bearer", s1.ID, map[string]string{"Authorization": "Bearer "}, 401, "unauthorized"},
		{"basic auth", s1.ID, map[string]string{"Authorization": "Basic YTpi"}, 401, "unauthorized"},
		{"garbage token", s1.ID, authJSON("not-a-token"), 401, "unauthorized"},
		{"other session's facilitator", s1.ID, authJSON(s2.FacilitatorToken), 401, "unauthorized"},
		{"participant of s1 on s2", s2.ID, authJSON(p.Token), 401, "unauthorized"},
		{"unknown session, no token", unknown, nil, 404, "not_found"},
		{"unknown session, garbage token", unknown, authJSON("x"), 404, "not_found"},
		{"unknown session, real token", unknown, authJSON(s1.FacilitatorToken), 404, "not_found"},
		{"malformed id, real token", "abc", authJSON(s1.FacilitatorToken), 404, "not_found"},
		{"malformed id, no token", "abc", nil, 404, "not_found"},
	}
	for _, c := range cases {
		st, b := ts.request("GET", path(c.id), c.hdr, nil)
		checkErrorBody(t, c.name, st, b, c.status, c.code)
	}
	// And the right tokens see their boards.
	for _, tok := range []string{s1.FacilitatorToken, p.Token} {
		st, b := ts.request("GET", path(s1.ID), authJSON(tok), nil)
		if st != 200 || !strings.Contains(string(b), `"you"`) {
			t.Fatalf("GET board with a right token: status %d, body %.200s", st, b)
		}
	}
}

// Unknown routes and methods answer with the contract's JSON error.
func TestHTTPUnknownRoute(t *testing.T) {
	ts := startServer(t, "")
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/nope"}, {"GET", "/api/sessions"}, {"POST", "/healthz"}, {"PUT", "/api/sessions"},
		{"GET", "/assets/../../etc/passwd"}, {"GET", "/assets/nope.js"}, {"DELETE", "/api/templates"},
	} {
		st, b := ts.request(c.method, c.path, nil, nil)
		checkErrorBody(t, c.method+" "+c.path, st, b, 404, "not_found")
	}
}
