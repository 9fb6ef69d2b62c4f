package e2e

import (
	"os"
	"testing"
)

// seedJS joins people with units over HTTP from the facilitator's page
// and has each post a note in the first column; it resolves to a map of
// name -> token. The session id and code come from the page itself.
const seedJS = `(async (people) => {
  const id = location.pathname.split('/')[2];
  const me = JSON.parse(localStorage.getItem('rembuk:session:' + id));
  const board = await (await fetch('/api/sessions/' + id + '/board', {headers: {Authorization: 'Bearer ' + me.token}})).json();
  const col = board.columns[0].id;
  const out = {};
  for (const [name, unit, text] of people) {
    const j = await (await fetch('/api/join', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({code: board.session.joinCode, name, unit})})).json();
    out[name] = j.token;
    if (text) await postAs(id, j.token, {type: 'note.add', ref: 'seed-' + name, columnId: col, text});
  }
  window.__unitTokens = out; window.__unitCol = col;
  return Object.keys(out).length;
  async function postAs(id, tok, cmd) {
    const r = await fetch('/api/sessions/' + id + '/commands', {method: 'POST', headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + tok}, body: JSON.stringify(cmd)});
    if (r.status !== 200) throw new Error('command ' + r.status + ' ' + await r.text());
  }
})`

// postAsJS posts a note as one of the seeded people.
func postAsJS(name, text string) string {
	return `(async () => { const id = location.pathname.split('/')[2]; const r = await fetch('/api/sessions/' + id + '/commands', {method: 'POST', headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + window.__unitTokens[` + js(name) + `]}, body: JSON.stringify({type: 'note.add', ref: 'late-' + ` + js(name) + `, columnId: window.__unitCol, text: ` + js(text) + `})}); return r.status; })()`
}

// cmdAsJS sends one command over HTTP as a seeded person, or as the page's
// own participant when name is "".
func cmdAsJS(name, cmd string) string {
	return `(async () => { const id = location.pathname.split('/')[2];
	  const tok = ` + js(name) + ` ? window.__unitTokens[` + js(name) + `] : JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
	  const r = await fetch('/api/sessions/' + id + '/commands', {method: 'POST', headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + tok}, body: JSON.stringify(` + cmd + `)});
	  return r.status; })()`
}

// visibleNotes is how many readable notes the lanes show.
const visibleNotes = `document.querySelectorAll('[data-testid=note]:not([data-hidden])').length`

// TestUnitsSideBySide (issue 13): the facilitator filters the board by
// unit and colours it by unit with a legend (1280 and 360 wide); in an
// anonymous session with "tampilkan unit" on, a note from a unit of three
// shows its unit and a note from a unit of two never does.
func TestUnitsSideBySide(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "FGD Pemetaan Masalah Antarbalai", "Rina Fasilitator")
	n := evalAwait[int](fac, seedJS+`([
	  ['Ani', 'Balai Satu', 'Antrean berkas menumpuk'],
	  ['Asih', 'balai satu', 'Formulir ganda'],
	  ['Agus', 'Balai Satu', ''],
	  ['Budi', 'Balai Dua', 'Jaringan sering putus'],
	  ['Bayu', 'Balai Dua', ''],
	])`)
	if n != 5 {
		t.Fatalf("seeded %d people", n)
	}
	fac.waitJS("three notes", visibleNotes+` === 3`)
	fac.waitJS("the unit bar lists both units",
		`[...document.querySelectorAll('[data-testid=unit-filter] option')].map(o => o.value).join('|') === '|Balai Dua|Balai Satu'`)

	// Filter: only Balai Dua's note stays.
	fac.do("filter by Balai Dua", setValue(css(`[data-testid=unit-filter]`), "Balai Dua"))
	fac.waitJS("one note under the filter", visibleNotes+` === 1 && !!(`+noteSel("Jaringan sering putus")+`)`)
	fac.do("show every unit", setValue(css(`[data-testid=unit-filter]`), ""))
	fac.waitJS("three notes again", visibleNotes+` === 3`)

	// Colour by unit: a legend of two, notes of one unit share a colour
	// different from the other's, and each names its unit as text.
	fac.do("colour by unit", click(css(`[data-testid=unit-colour]`)))
	fac.waitJS("legend of two", `document.querySelectorAll('[data-testid=unit-legend] li').length === 2`)
	fac.waitJS("notes coloured by unit", `(() => {
	  const c = (text) => [...document.querySelectorAll('[data-testid=note]')].find(n => n.querySelector('[data-testid=note-text]')?.textContent === text)?.className.match(/unit-c\d/)?.[0];
	  const a = c('Antrean berkas menumpuk'), a2 = c('Formulir ganda'), b = c('Jaringan sering putus');
	  return a && a === a2 && b && a !== b && document.querySelectorAll('[data-testid=note-unit]').length === 3;
	})()`)
	fac.shot("desktop-01-colour-by-unit")
	if os.Getenv("REMBUK_AXE") != "" {
		axeCheck(t, fac, axeSource(t), "board coloured by unit 1280")
	}

	// The ranking's USG per unit: the mean over each unit's raters.
	noteID := eval[string](fac, `(`+noteSel("Antrean berkas menumpuk")+`).dataset.noteId`)
	steps := []struct{ who, cmd string }{
		{"", `{type: 'phase.set', ref: 'ph-vote', phase: 'vote'}`},
		{"Ani", `{type: 'usg.score', ref: 'sc-ani', targetId: ` + js(noteID) + `, u: 5, s: 5, g: 5}`},
		{"Asih", `{type: 'usg.score', ref: 'sc-asih', targetId: ` + js(noteID) + `, u: 3, s: 3, g: 3}`},
		{"Budi", `{type: 'usg.score', ref: 'sc-budi', targetId: ` + js(noteID) + `, u: 1, s: 2, g: 3}`},
	}
	for _, st := range steps {
		if code := evalAwait[int](fac, cmdAsJS(st.who, st.cmd)); code != 200 {
			t.Fatalf("%s %s: %d", st.who, st.cmd, code)
		}
	}
	fac.do("open the ranking", click(css(`[data-testid=tab-rank]`)), waitVisible(css(`[data-testid=ranking]`)))
	fac.do("USG per unit", click(css(`[data-testid=rank-by-unit]`)))
	fac.waitJS("two unit rows: Balai Dua 6 by 1, Balai Satu 12 by 2", `[...document.querySelectorAll('[data-testid=ranking-unit-row]')].map(r => [...r.cells].map(c => c.textContent.trim()).filter(Boolean).join(' ')).join('|').replace(/,/g, '.') === 'Balai Dua 1.0 2.0 3.0 6.0 1|Balai Satu 4.0 4.0 4.0 12.0 2'`)
	fac.shot("desktop-02-ranking-by-unit")

	// Anonymous, units shown: Balai Satu has three people, Balai Dua two.
	fac.do("open settings", click(css(`[data-testid=open-settings]`)), waitVisible(css(`[data-testid=settings-dialog]`)),
		click(css(`[data-testid=setting-anonymous-input]`)))
	fac.waitJS("anonymous on", `document.querySelector('[data-testid=setting-anonymous-input]').checked`)
	fac.do("tampilkan unit", click(css(`[data-testid=setting-showUnits-input]`)))
	fac.waitJS("show units on", `document.querySelector('[data-testid=setting-showUnits-input]').checked`)
	fac.do("close settings", click(css(`[data-testid=settings-done]`)))
	if st := evalAwait[int](fac, postAsJS("Asih", "Tanpa nama, dari balai bertiga")); st != 200 {
		t.Fatalf("post as Asih: %d", st)
	}
	if st := evalAwait[int](fac, postAsJS("Bayu", "Tanpa nama, dari balai berdua")); st != 200 {
		t.Fatalf("post as Bayu: %d", st)
	}
	fac.waitJS("both anonymous notes", `!!(`+noteSel("Tanpa nama, dari balai bertiga")+`) && !!(`+noteSel("Tanpa nama, dari balai berdua")+`)`)
	if u := eval[string](fac, `(`+noteSel("Tanpa nama, dari balai bertiga")+`).dataset.unit || ''`); u != "Balai Satu" {
		t.Errorf("the anonymous note from a unit of three: unit %q, want Balai Satu", u)
	}
	if u := eval[string](fac, `(`+noteSel("Tanpa nama, dari balai berdua")+`).dataset.unit || ''`); u != "" {
		t.Errorf("the anonymous note from a unit of two shows its unit %q", u)
	}
	fac.shot("desktop-03-anonymous-units")

	// The same on a phone, 360 wide: a participant joins, colours by unit.
	ph := newBrowser(t, "phone", 360, 740, true)
	joinSession(t, ph, base, code, "Putu Peserta")
	ph.waitJS("five notes", visibleNotes+` === 5`)
	ph.do("colour by unit", click(css(`[data-testid=unit-colour]`)))
	// Anonymous now: every note is, so Budi's older note from the unit of
	// two lost its unit too; only Balai Satu is left in the legend.
	ph.waitJS("legend of one", `[...document.querySelectorAll('[data-testid=unit-legend] li')].map(l => l.textContent).join('|') === 'Balai Satu'`)
	if u := eval[string](ph, `(`+noteSel("Jaringan sering putus")+`).dataset.unit || ''`); u != "" {
		t.Errorf("phone: the older note from a unit of two shows its unit %q now the session is anonymous", u)
	}
	if u := eval[string](ph, `(`+noteSel("Tanpa nama, dari balai berdua")+`).dataset.unit || ''`); u != "" {
		t.Errorf("phone: the anonymous note from a unit of two shows its unit %q", u)
	}
	ph.shot("phone-01-colour-by-unit")
	if os.Getenv("REMBUK_AXE") != "" {
		axeCheck(t, ph, axeSource(t), "board coloured by unit 360")
	}
	ph.do("filter by Balai Satu", setValue(css(`[data-testid=unit-filter]`), "Balai Satu"))
	ph.waitJS("three Balai Satu notes", visibleNotes+` === 3`)
	ph.shot("phone-02-filter-by-unit")
}
