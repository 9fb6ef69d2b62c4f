package server_test

import "testing"

// TestAPKLOverWebSocket runs an APKL step over real sockets: the settings,
// the step, ratings from two people with the team result live for all and
// each rating only for its rater, USG closed to items that did not pass,
// and the results read back from the SQLite file after a restart.
func TestAPKLOverWebSocket(t *testing.T) {
	tr := newTrio(t, "masalah-inovasi")
	prob := tr.cols["problem"][0]
	pass := tr.id(tr.par, "note.add", map[string]any{"columnId": prob, "text": "Antrean loket panjang"})
	fail := tr.id(tr.par, "note.add", map[string]any{"columnId": prob, "text": "Kursi tunggu warna kusam"})
	check := map[string]any{"a": 1, "p": 1, "k": 1, "l": 1}
	rating := func(id string, a, p, k, l int) map[string]any {
		return map[string]any{"targetId": id, "a": a, "p": p, "k": k, "l": l}
	}

	tr.refuse(tr.fac, "phase.set", map[string]any{"phase": "screen"}, "invalid")
	tr.refuse(tr.par, "settings.update", map[string]any{"apkl": map[string]any{"enabled": true}}, "forbidden")
	tr.refuse(tr.fac, "settings.update", map[string]any{"apkl": map[string]any{"enabled": true, "mode": "stars"}}, "invalid")
	tr.ok(tr.fac, "settings.update", map[string]any{"apkl": map[string]any{"enabled": true}})
	for _, ev := range tr.lastEvents("settings.changed") {
		a := eventData(ev)["settings"].(map[string]any)["apkl"].(map[string]any)
		if a["enabled"] != true || a["mode"] != "check" || a["raters"] != "all" || a["scope"] != "passed" {
			t.Fatalf("settings.changed apkl = %v", a)
		}
	}
	tr.refuse(tr.par, "apkl.score", rating(pass, 1, 1, 1, 1), "wrong_phase")
	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "screen"})

	tr.ok(tr.par, "apkl.score", rating(pass, 1, 1, 1, 1))
	evs := tr.lastEvents("apkl.changed")
	for i, ev := range evs {
		d := eventData(ev)
		res := d["apkl"].(map[string]any)
		if d["targetId"] != pass || res["passed"] != true || num(res["raters"]) != 1 {
			t.Fatalf("apkl.changed = %v", d)
		}
		_, mine := d["myApkl"]
		if mine != (tr.clients()[i] == tr.par) {
			t.Fatalf("client %d: myApkl present = %v", i, mine)
		}
	}
	tr.ok(tr.fac, "apkl.score", rating(pass, 1, 1, 1, 1))
	tr.ok(tr.fac, "apkl.score", rating(fail, 0, 1, 1, 1))
	tr.refuse(tr.par, "apkl.score", rating(fail, 2, 1, 1, 1), "invalid")
	delete(check, "l")
	check["targetId"] = fail
	tr.refuse(tr.par, "apkl.score", check, "invalid")

	tr.ok(tr.fac, "phase.set", map[string]any{"phase": "vote"})
	tr.refuse(tr.par, "apkl.score", rating(fail, 1, 1, 1, 1), "wrong_phase")
	tr.ok(tr.par, "usg.score", map[string]any{"targetId": pass, "u": 5, "s": 4, "g": 3})
	tr.refuse(tr.par, "usg.score", map[string]any{"targetId": fail, "u": 5, "s": 4, "g": 3}, "invalid")
	tr.checkSeq()

	// The ratings are on disk: a new server over the same file has them.
	tr.ts.Stop()
	ts := startServer(t, tr.ts.DBPath)
	var b map[string]any
	if st := ts.do("GET", "/api/sessions/"+tr.s.ID+"/board", tr.parTok, nil, &b); st != 200 {
		t.Fatalf("GET board: %d", st)
	}
	n := findIn(t, b, "notes", pass)
	res := n["apkl"].(map[string]any)
	if num(res["raters"]) != 2 || res["passed"] != true || num(res["p"]) != 2 {
		t.Fatalf("after restart note apkl = %v", res)
	}
	if my := n["myApkl"].(map[string]any); num(my["l"]) != 1 {
		t.Fatalf("after restart myApkl = %v", my)
	}
	if r := findIn(t, b, "notes", fail)["apkl"].(map[string]any); r["passed"] != false || r["ok"].(map[string]any)["a"] != false {
		t.Fatalf("after restart the failing note's apkl = %v", r)
	}
	if findIn(t, b, "notes", fail)["myApkl"] != nil {
		t.Fatalf("the participant sees a rating of an item they did not rate")
	}
}
