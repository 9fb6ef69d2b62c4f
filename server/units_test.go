package server_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// joinUnit joins name of unit by HTTP, as the join form does.
func (tr *trio) joinUnit(name, unit string) joined {
	tr.t.Helper()
	var j joined
	if st := tr.ts.do("POST", "/api/join", "", map[string]any{"code": tr.s.JoinCode, "name": name, "unit": unit}, &j); st != 201 {
		tr.t.Fatalf("join: status %d", st)
	}
	tr.last++
	return j
}

// unitViews returns the authorUnit values of every view of note id in raw
// (newline-separated frames or one body); "" stands for a view without one.
func unitViews(t *testing.T, raw []byte, id string) []string {
	t.Helper()
	var out []string
	for _, line := range bytes.Split(raw, []byte{'\n'}) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var f any
		if err := json.Unmarshal(line, &f); err != nil {
			t.Fatalf("frame %q: %v", line, err)
		}
		for _, nv := range noteViews(f, id) {
			u, _ := nv["authorUnit"].(string)
			out = append(out, u)
		}
	}
	return out
}

// TestUnitOfTwoNeverLeaks (issue 13): in an anonymous session with
// "tampilkan unit" on, a unit of two people is never attached to a note
// for anyone but its author — not in events, welcomes, /board, the SSE
// stream nor the minutes — while a unit of three is; and when a removal
// takes that unit down to two, every client gets the notes again without it.
func TestUnitOfTwoNeverLeaks(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	const two, three = "Balai Berdua", "Balai Bertiga"
	d1 := tr.joinUnit("Dua Satu", two)
	tr.joinUnit("Dua Dua", two)
	t1 := tr.joinUnit("Tiga Satu", three)
	t2 := tr.joinUnit("Tiga Dua", "balai  BERTIGA")
	tr.joinUnit("Tiga Tiga", three)
	sse := tr.ts.sseOpen(tr.s.ID, tr.parTok, nil, false)
	defer sse.close()
	sse.expect("welcome")
	tr.ok(tr.fac, "settings.update", map[string]any{"anonymous": true, "showUnits": true})
	wd := tr.connect(d1.Token)
	wt := tr.connect(t1.Token)
	col := tr.cols["problem"][0]
	dn := tr.id(wd, "note.add", map[string]any{"columnId": col, "text": "masalah dari berdua"})
	tn := tr.id(wt, "note.add", map[string]any{"columnId": col, "text": "masalah dari bertiga"})
	for _, w := range append(tr.clients(), wd, wt) {
		syncTo(w, tr.last)
	}
	for sse.event()["seq"] != float64(tr.last) {
	}

	readers := map[string][]byte{"fac ws": tr.fac.raw.Bytes(), "notulis ws": tr.not.raw.Bytes(),
		"participant ws": tr.par.raw.Bytes(), "bertiga ws": wt.raw.Bytes(), "participant sse": sse.raw.Bytes()}
	for who, tok := range map[string]string{"fac": tr.s.FacilitatorToken, "notulis": tr.notTok, "participant": tr.parTok, "bertiga": t1.Token} {
		b, _ := json.Marshal(tr.board(tok))
		readers[who+" /board"] = b
		_, w := tr.ts.connect(tr.s.ID, tok, nil)
		b, _ = json.Marshal(w)
		readers[who+" welcome"] = b
	}
	for _, who := range []string{"fac", "notulis"} {
		tok := map[string]string{"fac": tr.s.FacilitatorToken, "notulis": tr.notTok}[who]
		_, _, js := tr.ts.minutes(tr.s.ID, tok, "format=json")
		readers[who+" minutes json"] = js
		for _, f := range []string{"md", "csv", "html"} {
			st, _, body := tr.ts.minutes(tr.s.ID, tok, "format="+f)
			if st != 200 {
				t.Fatalf("minutes %s: %d", f, st)
			}
			text := string(body)
			if f != "csv" {
				text = text[strings.Index(text, "Pemetaan per Unit"):strings.Index(text, "Kesimpulan")]
			}
			if strings.Contains(text, two) || !strings.Contains(text, three) {
				t.Errorf("%s minutes %s: unit of two shown %v, unit of three shown %v", who, f, strings.Contains(text, two), strings.Contains(text, three))
			}
		}
	}
	for label, raw := range readers {
		views := unitViews(t, raw, dn)
		if len(views) == 0 {
			t.Errorf("%s: no view of the note from the unit of two", label)
		}
		for _, u := range views {
			if u != "" {
				t.Errorf("%s: the note from a unit of two carries its unit %q", label, u)
			}
		}
		if vs := unitViews(t, raw, tn); len(vs) == 0 || vs[len(vs)-1] != three {
			t.Errorf("%s: the note from the unit of three: units %q, want %q", label, vs, three)
		}
	}
	// The author reads their own unit.
	if vs := unitViews(t, wd.raw.Bytes(), dn); len(vs) == 0 || vs[len(vs)-1] != two {
		t.Errorf("the author's own note: units %q", vs)
	}

	// Down to two: the removal carries every note again, without the unit.
	tr.ok(tr.fac, "participant.remove", map[string]any{"id": t2.ParticipantID})
	for _, w := range append(tr.clients(), wt) {
		ev := tr.eventFor(w, tr.last)
		raw, _ := json.Marshal(ev)
		want := "" // only its author still reads it
		if w == wt {
			want = three
		}
		if vs := unitViews(t, raw, tn); len(vs) != 1 || vs[0] != want {
			t.Errorf("participant.removed: the note's units %q, want one view with %q", vs, want)
		}
	}
	b, _ := json.Marshal(tr.board(tr.parTok))
	if vs := unitViews(t, b, tn); len(vs) != 1 || vs[0] != "" {
		t.Errorf("/board after the removal: units %q", vs)
	}
}
