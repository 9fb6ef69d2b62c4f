package clustertest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// walkEdges (which makes 3 failed joins) is the second half of the walk through the balancer (base):
// the refusals and limits of the contract that involve more than one node
// — bad frames on a forwarded socket, roles and the lock, the per-person
// command rate and connection cap over sockets on several nodes — and the
// commands the first half did not send.
func walkEdges(t *testing.T, base string) {
	t.Helper()
	var s struct{ ID, JoinCode, FacilitatorToken, ParticipantID string }
	if st := httpJSON(t, "POST", base+"/api/sessions", "", map[string]any{"title": "Tepi Klaster", "template": "masalah-inovasi", "facilitatorName": "F"}, &s); st != 201 {
		t.Fatalf("create: %d", st)
	}
	var p, q struct{ ParticipantID, Token string }
	httpJSON(t, "POST", base+"/api/join", "", map[string]any{"code": s.JoinCode, "name": "Putri"}, &p)
	httpJSON(t, "POST", base+"/api/join", "", map[string]any{"code": s.JoinCode, "name": "Qori"}, &q)

	// HTTP refusals, each on the next node.
	for range 3 {
		if st := httpJSON(t, "GET", base+"/api/sessions/00000000-0000-4000-8000-000000000000/board", s.FacilitatorToken, nil, nil); st != 404 {
			t.Errorf("board of an unknown session: %d, want 404", st)
		}
		if st := httpJSON(t, "GET", base+"/api/sessions/"+s.ID+"/board", "bukan-token", nil, nil); st != 401 {
			t.Errorf("board with a bad token: %d, want 401", st)
		}
		if st := postText(t, base+"/api/join", "text/plain", `{"code":"`+s.JoinCode+`","name":"X"}`); st != 415 {
			t.Errorf("join as text/plain: %d, want 415", st)
		}
		if st := postText(t, base+"/api/sessions", "application/json", `{"title":"`+strings.Repeat("x", 70<<10)+`"}`); st != 413 {
			t.Errorf("a 70 KiB body: %d, want 413", st)
		}
	}

	fac := dialPeer(t, base, s.ID, "efac", s.FacilitatorToken)
	cols := map[string]string{}
	for _, col := range fac.frames()[0].Board.Columns {
		cols[col.Kind] = col.ID
	}
	p1 := dialPeer(t, base, s.ID, "putri1", p.Token)
	p2 := dialPeer(t, base, s.ID, "putri2", p.Token)
	if p1.node == p2.node {
		t.Fatalf("putri's sockets both on %s", p1.node)
	}

	// Bad frames on both of Putri's sockets: an answer, the socket stays.
	for _, pp := range []*peer{p1, p2} {
		n := len(pp.frames())
		pp.writeRaw("bukan json")
		pp.writeRaw(`{"type":"tidak.ada","ref":"x"}`)
		pp.writeRaw(`{"type":"note.add","ref":"big","columnId":"` + cols["problem"] + `","text":"` + strings.Repeat("a", 17<<10) + `"}`)
		waitFor(t, 10*time.Second, pp.name+"'s three refusals", func() bool { return countErrors(pp.frames()[n:]) >= 3 })
		codes := map[string]int{}
		for _, f := range pp.frames()[n:] {
			if f.Type == "error" {
				codes[f.Code]++
			}
		}
		if codes["invalid"] != 2 || codes["too_large"] != 1 {
			t.Errorf("%s on %s: refusals %v, want invalid ×2 and too_large", pp.name, pp.node, codes)
		}
		pp.must("note.add", map[string]any{"columnId": cols["problem"], "text": "masih tersambung"})
	}

	// Roles and the lock, decided by the owner for a socket anywhere.
	if f := p2.send("phase.set", map[string]any{"phase": "vote"}); f.Code != "forbidden" {
		t.Errorf("a participant's phase.set: %+v, want forbidden", f)
	}
	fac.must("settings.update", map[string]any{"locked": true})
	if f := p1.send("note.add", map[string]any{"columnId": cols["problem"], "text": "dikunci"}); f.Code != "locked" {
		t.Errorf("a note while locked: %+v, want locked", f)
	}
	fac.must("settings.update", map[string]any{"locked": false})

	// The rest of the command table.
	n := p1.must("note.add", map[string]any{"columnId": cols["problem"], "text": "Ruang tunggu panas"}).ID
	inn := p2.must("note.add", map[string]any{"columnId": cols["innovation"], "text": "Kipas angin"}).ID
	link := p2.must("link.add", map[string]any{"fromId": inn, "toId": n, "kind": "answers"}).ID
	p2.must("link.delete", map[string]any{"id": link})
	col := fac.must("column.add", map[string]any{"title": "Sementara"}).ID
	fac.must("column.update", map[string]any{"id": col, "title": "Sementara 2"})
	fac.must("column.delete", map[string]any{"id": col})
	g := fac.must("group.add", map[string]any{"columnId": cols["problem"], "title": "Ruang", "noteIds": []string{n}}).ID
	fac.must("group.update", map[string]any{"id": g, "title": "Ruangan"})
	fac.must("group.delete", map[string]any{"id": g})
	a := fac.must("action.add", map[string]any{"text": "Pasang kipas", "owner": "Umum", "due": "2027-01-15"}).ID
	fac.must("action.update", map[string]any{"id": a, "done": true})
	fac.must("action.delete", map[string]any{"id": a})
	fac.must("timer.start", map[string]any{"seconds": 60})
	fac.must("timer.stop", nil)
	fac.must("phase.set", map[string]any{"phase": "vote"})
	p1.must("vote.cast", map[string]any{"targetId": n})
	p2.must("vote.retract", map[string]any{"targetId": n})

	// The fishbone from every node: the cause linked to the problem.
	cause := p1.must("note.add", map[string]any{"columnId": cols["cause"], "text": "Ventilasi kurang"}).ID
	p1.must("link.add", map[string]any{"fromId": cause, "toId": n, "kind": "cause"})
	for i := range 3 {
		var d struct {
			Roots []struct{ ID string }
			Root  string
		}
		if st := httpJSON(t, "GET", base+"/api/sessions/"+s.ID+"/diagram?view=fishbone", p.Token, nil, &d); st != 200 || d.Root != n || len(d.Roots) != 1 {
			t.Errorf("diagram %d: %d %+v, want the problem as root", i, st, d)
		}
	}

	// A new join code: the old one is refused on every node at once (each
	// a failed join), the new one seats; closed joining is 403.
	code := fac.must("session.rotateCode", nil)
	newCode := ""
	if e, ok := fac.event(code.Seq); ok {
		newCode = between(string(e.Data), `"joinCode":"`, `"`)
	}
	if newCode == "" || newCode == s.JoinCode {
		t.Fatalf("session.rotateCode: no new code in the facilitator's event")
	}
	for i := range 3 {
		if st := httpJSON(t, "POST", base+"/api/join", "", map[string]any{"code": s.JoinCode, "name": "Lama"}, nil); st != 404 {
			t.Errorf("join %d with the replaced code: %d, want 404", i, st)
		}
	}
	if st := httpJSON(t, "POST", base+"/api/join", "", map[string]any{"code": newCode, "name": "Baru"}, nil); st != 201 {
		t.Errorf("join with the new code: %d, want 201", st)
	}
	fac.must("settings.update", map[string]any{"joiningClosed": true})
	for i := range 3 {
		var e struct{ Error struct{ Code string } }
		if st := httpJSON(t, "POST", base+"/api/join", "", map[string]any{"code": newCode, "name": "Telat"}, &e); st != 403 || e.Error.Code != "joining_closed" {
			t.Errorf("join %d while joining is closed: %d %+v, want 403 joining_closed", i, st, e)
		}
	}

	// One person's command rate over two nodes: 100 at once, at most the
	// burst (40) and what refilled meanwhile pass; every one is answered.
	start := time.Now()
	var wg sync.WaitGroup
	for _, pp := range []*peer{p1, p2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				pp.writeRaw(fmt.Sprintf(`{"type":"note.add","ref":"burst-%s-%d","columnId":%q,"text":"cepat %d"}`, pp.name, i, cols["cause"], i))
			}
		}()
	}
	wg.Wait()
	answered := func() (acks, limited int) {
		for _, pp := range []*peer{p1, p2} {
			for _, f := range pp.frames() {
				if strings.HasPrefix(f.Ref, "burst-") {
					switch {
					case f.Type == "ack":
						acks++
					case f.Type == "error" && f.Code == "rate_limited":
						limited++
					}
				}
			}
		}
		return
	}
	waitFor(t, 15*time.Second, "an answer to each of 100 commands", func() bool { x, y := answered(); return x+y == 100 })
	acks, limited := answered()
	if most := 40 + int(20*time.Since(start).Seconds()) + 1; limited == 0 || acks > most {
		t.Errorf("100 commands of one person over two nodes: %d acked, %d rate_limited; want at most %d acked", acks, limited, most)
	}
	t.Logf("100 commands at once from putri on %s and %s: %d acked, %d rate_limited", p1.node, p2.node, acks, limited)

	// Nine connections of one person over the nodes: the oldest closes 4008.
	var qs []*peer
	for i := range 9 {
		qs = append(qs, dialPeer(t, base, s.ID, fmt.Sprint("qori", i), q.Token))
	}
	waitFor(t, 10*time.Second, "qori's oldest socket closed", func() bool { return qs[0].closed() != 0 })
	if c := qs[0].closed(); c != 4008 {
		t.Errorf("the oldest of nine (on %s) closed with %d, want 4008", qs[0].node, c)
	}
	t.Logf("qori's oldest socket (on %s) closed 4008 by the ninth (on %s)", qs[0].node, qs[8].node)
	for _, qq := range qs[1:] {
		if qq.closed() != 0 {
			t.Errorf("%s (on %s) closed with %d, want open", qq.name, qq.node, qq.closed())
		}
	}

	// The event stream with ?token=, and minutes in English.
	req, _ := http.NewRequest("GET", base+"/api/sessions/"+s.ID+"/events?token="+p.Token, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("events?token=: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}
	if st, _, body := getRaw(t, base+"/api/sessions/"+s.ID+"/minutes?format=md&lang=en", s.FacilitatorToken); st != 200 || !strings.Contains(string(body), "# Minutes") {
		t.Errorf("minutes in English: %d %.200s", st, body)
	}
	for _, pp := range []*peer{fac, p1, p2} {
		pp.checkStream(0)
	}
}

func countErrors(fs []pframe) int {
	n := 0
	for _, f := range fs {
		if f.Type == "error" {
			n++
		}
	}
	return n
}

// postText posts body as contentType and returns the status.
func postText(t *testing.T, url, contentType, body string) int {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
