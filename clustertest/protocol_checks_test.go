package clustertest

// The protocol walk's checks that stand alone (protocol_test.go).

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// badHello: a hello with a token nobody holds is refused unauthorized and
// closed 1008 on every node (three sockets in a row).
func badHello(t *testing.T, base, session string) {
	t.Helper()
	for range 3 {
		if f, code := helloOnce(t, base, session, "bukan-token"); f.Type != "error" || f.Code != "unauthorized" || code != 1008 {
			t.Errorf("bad hello: %+v, close %d; want error unauthorized and 1008", f, code)
		}
	}
}

// helloOnce says hello with token on a new socket and returns the first
// frame and the close code that follows it (0: none within 10 s).
func helloOnce(t *testing.T, base, session, token string) (pframe, int) {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws/sessions/"+session, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.WriteJSON(map[string]any{"type": "hello", "token": token})
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var f pframe
	if err := ws.ReadJSON(&f); err != nil {
		return f, 0
	}
	_, _, err = ws.ReadMessage()
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return f, ce.Code
	}
	return f, 0
}

// checkMinutes downloads the minutes in every format, twice each (round
// robin: from different nodes), as the facilitator and the notulis; a
// participant is refused.
func checkMinutes(t *testing.T, base, session, facTok, notulisTok, partTok string) {
	t.Helper()
	from := map[string]int{}
	defer func() {
		if len(from) != 3 {
			t.Errorf("minutes came from %v, want every node", from)
		}
	}()
	for _, format := range []string{"md", "html", "docx", "pdf", "csv", "json"} {
		for _, tok := range []string{facTok, notulisTok} {
			st, hdr, body := getRaw(t, fmt.Sprintf("%s/api/sessions/%s/minutes?format=%s", base, session, format), tok)
			from[hdr.Get("X-Rembuk-Node")]++
			if st != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "attachment") || len(body) == 0 {
				t.Errorf("minutes %s: %d %q, %d bytes", format, st, hdr.Get("Content-Disposition"), len(body))
				continue
			}
			switch format {
			case "md", "html":
				if !strings.Contains(string(body), "Protokol Klaster") || !strings.Contains(string(body), "Antrean loket sangat panjang") {
					t.Errorf("minutes %s lack the title or a note: %.300s", format, body)
				}
			case "csv":
				if !strings.HasPrefix(strings.TrimPrefix(string(body), "\ufeff"), "column,group,text,author,votes,u,s,g,total") {
					t.Errorf("minutes csv: %.200s", body)
				}
				for _, line := range strings.Split(string(body), "\n") {
					if strings.Contains(line, "Petugas kurang") && strings.Contains(line, "Ani") {
						t.Errorf("minutes csv name the anonymous note's author: %q", line)
					}
				}
			case "json":
				var m struct {
					Board      walkBoard
					Attendance []json.RawMessage
				}
				if err := json.Unmarshal(body, &m); err != nil || len(m.Attendance) < 4 || len(m.Board.Notes) == 0 {
					t.Errorf("minutes json: %v, %d in attendance", err, len(m.Attendance))
				}
			case "pdf":
				if !strings.HasPrefix(string(body), "%PDF") {
					t.Errorf("minutes pdf starts %q", body[:min(8, len(body))])
				}
			case "docx":
				if !strings.HasPrefix(string(body), "PK") {
					t.Errorf("minutes docx starts %q", body[:min(8, len(body))])
				}
			}
		}
	}
	if st, _, _ := getRaw(t, base+"/api/sessions/"+session+"/minutes?format=md", partTok); st != 403 {
		t.Errorf("minutes for a participant: %d, want 403", st)
	}
}

func getRaw(t *testing.T, url, token string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	c := http.Client{Timeout: 20 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// checkFailedJoins: through the balancer the failed joins of one address
// land on every node in turn, and the 11th in a minute is 429 all the
// same, even when the client writes an X-Forwarded-For of its own.
// already is how many the walk made before.
func checkFailedJoins(t *testing.T, base string, already int) {
	t.Helper()
	var sp struct{ ID, JoinCode string }
	if st := httpJSON(t, "POST", base+"/api/sessions", "", map[string]any{"title": "Rahasia", "template": "kosong", "facilitatorName": "F", "passcode": "kunci"}, &sp); st != 201 {
		t.Fatalf("create with passcode: %d", st)
	}
	joinWith := func(code, passcode, xff string) (int, http.Header) {
		b, _ := json.Marshal(map[string]any{"code": code, "name": "Tamu", "passcode": passcode})
		req, _ := http.NewRequest("POST", base+"/api/join", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("join: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header
	}
	if st, _ := joinWith("ZZZZZZ", "", ""); st != 404 {
		t.Fatalf("unknown code: %d, want 404", st)
	}
	if st, _ := joinWith(sp.JoinCode, "salah", ""); st != 403 {
		t.Fatalf("wrong passcode: %d, want 403", st)
	}
	for i := 3 + already; i <= 10; i++ {
		if st, _ := joinWith("ZZZZZZ", "", fmt.Sprintf("10.1.2.%d", i)); st != 404 {
			t.Fatalf("failed join %d: %d, want 404", i, st)
		}
	}
	for _, xff := range []string{"", "10.1.2.99"} {
		st, hdr := joinWith(sp.JoinCode, "kunci", xff)
		if st != 429 || hdr.Get("Retry-After") == "" {
			t.Errorf("11th join (X-Forwarded-For %q) with the right passcode: %d Retry-After %q, want 429 with Retry-After", xff, st, hdr.Get("Retry-After"))
		}
	}
}
