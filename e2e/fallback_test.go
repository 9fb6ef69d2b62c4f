package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// onHTTP is true when the page is connected over the HTTP fallback (SSE + POST).
const onHTTP = connected + ` && document.querySelector('[data-testid=conn-status]').dataset.transport === 'http'`

// onWS is true when the page is connected over a WebSocket.
const onWS = connected + ` && document.querySelector('[data-testid=conn-status]').dataset.transport === 'ws'`

// serverNoteCount is a JS promise: how many notes with this text the server's board holds.
func serverNoteCount(text string) string {
	return `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
		const r = await fetch('/api/sessions/' + id + '/board', {headers: {Authorization: 'Bearer ' + tok}}); const b = await r.json();
		return b.notes.filter(n => n.text === ` + js(text) + `).length; })()`
}

// shownCount is how many notes with this text the page shows.
func shownCount(b *browser, text string) int {
	return eval[int](b, `[...document.querySelectorAll('[data-testid=note-text]')].filter(e => e.textContent === `+js(text)+`).length`)
}

// TestHTTPFallback: with every WebSocket upgrade refused (as behind a proxy
// that blocks them), the facilitator and a participant on a phone work over
// Server-Sent Events and POST: join, notes both ways live, presence, a
// phase change, the mode shown in both languages, and a reload.
func TestHTTPFallback(t *testing.T) {
	srv := newServer(t, "-refuse-websockets")
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, srv.url, "Diskusi lewat proksi kantor", "Budi Santoso")
	fac.waitJS("the facilitator is on the HTTP fallback", onHTTP)
	if label := eval[string](fac, `document.querySelector('[data-testid=conn-status]').textContent`); !strings.Contains(label, "Terhubung (HTTP)") {
		t.Errorf("the connection chip says %q, want it to name the HTTP mode", label)
	}

	par := newBrowser(t, "participant", 360, 740, true)
	joinSession(t, par, srv.url, code, "Sari Dewi")
	par.waitJS("the participant is on the HTTP fallback", onHTTP+` && document.querySelector('[data-testid=conn-mode]')?.textContent === 'HTTP'`)
	fac.waitJS("the facilitator sees the participant online", `document.querySelectorAll('[data-testid=participant][data-online=true]').length === 2`)

	const fromFac, fromPar = "Catatan fasilitator lewat HTTP", "Catatan peserta lewat HTTP"
	addNote(t, par, 1, fromPar)
	fac.waitJS("the facilitator sees the participant's note live", noteShown(fromPar))
	addNote(t, fac, 2, fromFac)
	par.waitJS("the participant sees the facilitator's note live", noteShown(fromFac)+` && `+noteShown(fromPar)+` && !document.querySelector('[data-testid=note][data-pending]')`)
	setPhase(t, fac, "group")
	par.waitJS("the phase change reaches the phone", `document.querySelector('[data-testid=board]').dataset.phase === 'group'`)
	fac.shot("01-fallback-desktop")
	par.shot("01-fallback-phone")

	fac.do("switch to English", click(css(`[data-testid=lang-toggle]`)))
	fac.waitJS("the English label", `document.querySelector('[data-testid=conn-status]').textContent.includes('Connected (HTTP fallback)')`)
	fac.do("back to Bahasa Indonesia", click(css(`[data-testid=lang-toggle]`)))

	// A reload goes straight to the fallback it needed a moment ago.
	par.do("reload the phone", chromedp.Reload(), waitVisible(css(selBoard)))
	par.waitJS("back on the fallback with the same notes", onHTTP+` && `+noteShown(fromFac)+` && `+noteShown(fromPar)+` && document.querySelectorAll('[data-testid=note][data-mine]').length === 1`)
	for _, b := range []*browser{fac, par} {
		for _, text := range []string{fromFac, fromPar} {
			if n := shownCount(b, text); n != 1 {
				t.Errorf("%s: %q shows %d times, want once", b.name, text, n)
			}
		}
	}

	// Removed over the fallback: the stream just ends, the page says why.
	pid := eval[string](fac, `[...document.querySelectorAll('[data-testid=participant]')].find(p => p.textContent.includes('Sari Dewi')).dataset.participantId`)
	fac.do("remove the participant",
		click(css(`[data-participant-id="`+pid+`"] [data-testid=participant-menu]`)),
		click(css(`[data-testid=remove-participant]`)),
		waitVisible(css(`[data-testid=confirm-ok]`)),
		click(css(`[data-testid=confirm-ok]`)),
	)
	par.waitJS("the phone says she was removed", `document.querySelector('[data-testid=gate-removed]')`)
}

// TestFallbackSwitch: the server comes back refusing WebSockets while the
// participant writes; the page falls back to HTTP by itself and every note
// (written before, during and after the switch, and one whose ack the
// restart may have swallowed) is on the board exactly once. Then
// WebSockets work again and the page switches back, again losing nothing.
func TestFallbackSwitch(t *testing.T) {
	srv := newServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, srv.url, "Uji perpindahan koneksi", "Budi Santoso")
	par := newBrowser(t, "participant", 1280, 800, false)
	joinSession(t, par, srv.url, code, "Sari Dewi")
	par.waitJS("the participant is on a WebSocket", onWS)

	const first = "Sebelum perpindahan"
	addNote(t, par, 1, first)
	par.waitJS("the first note is acked", noteShown(first))

	// One note goes out on the socket just as the server stops: stored and
	// acked, stored with its ack lost, or not stored; never twice.
	const racing = "Terkirim saat server berhenti"
	addNote(t, par, 1, racing)
	srv.stop()
	srv.args = []string{"-refuse-websockets"}
	par.waitJS("the page notices", `document.querySelector('[data-testid=conn-status]').dataset.status !== 'connected'`)
	down := []string{"Ditulis saat server mati 1", "Ditulis saat server mati 2"}
	for _, text := range down {
		addNote(t, par, 1, text)
	}
	srv.start()
	// Typed while the page finds the WebSocket refused and falls back.
	during := []string{"Ditulis saat beralih 1", "Ditulis saat beralih 2", "Ditulis saat beralih 3"}
	for _, text := range during {
		addNote(t, par, 2, text)
	}
	all := append(append([]string{first, racing}, down...), during...)
	allShown := onHTTP
	for _, text := range all {
		allShown += ` && ` + noteShown(text)
	}
	par.waitJSFor("the participant falls back to HTTP and every note is acked", allShown+` && !document.querySelector('[data-testid=note][data-pending]')`, 60*time.Second)
	fac.waitJSFor("the facilitator falls back to HTTP and sees every note", allShown, 60*time.Second)
	const after = "Ditulis lewat HTTP"
	addNote(t, par, 2, after)
	fac.waitJS("a note over HTTP reaches the facilitator", noteShown(after))
	all = append(all, after)
	par.shot("01-after-fallback")
	checkOnce(t, all, fac, par)

	// WebSockets work again: the page tries one in the background (every
	// minute, and at once when the network changes: the test says it did)
	// and moves back to it.
	srv.stop()
	srv.args = nil
	const gap = "Ditulis saat server mati lagi"
	par.waitJS("the page notices again", `document.querySelector('[data-testid=conn-status]').dataset.status !== 'connected'`)
	addNote(t, par, 2, gap)
	srv.start()
	const back = "Ditulis saat kembali ke WebSocket"
	addNote(t, par, 3, back)
	all = append(all, gap, back)
	for _, b := range []*browser{par, fac} {
		b.waitJSFor("reconnected over HTTP", onHTTP, 60*time.Second)
		eval[bool](b, `window.dispatchEvent(new Event('online')) || true`)
		b.waitJSFor("back on a WebSocket", onWS, 60*time.Second)
	}
	allShown = onWS
	for _, text := range all {
		allShown += ` && ` + noteShown(text)
	}
	par.waitJS("every note is there once the WebSocket is back", allShown+` && !document.querySelector('[data-testid=note][data-pending]')`)
	const last = "Ditulis lewat WebSocket lagi"
	addNote(t, par, 3, last)
	all = append(all, last)
	fac.waitJS("a note over the WebSocket reaches the facilitator", allShown+` && `+noteShown(last))
	par.shot("02-back-on-websocket")
	checkOnce(t, all, fac, par)
}

// checkOnce asserts that each text is on each page and on the server exactly once.
func checkOnce(t *testing.T, texts []string, browsers ...*browser) {
	t.Helper()
	for _, text := range texts {
		for _, b := range browsers {
			if n := shownCount(b, text); n != 1 {
				t.Errorf("%s: %q shows %d times, want once", b.name, text, n)
			}
		}
		if n := evalAwait[int](browsers[0], serverNoteCount(text)); n != 1 {
			t.Errorf("the server holds %q %d times, want once", text, n)
		}
	}
}

// TestFallbackOnDroppingSockets: WebSockets open but die a moment after
// their welcome (as behind a proxy that cuts them): after three such
// sockets in a row, with the server answering HTTP, the page settles on
// the fallback by itself and works.
func TestFallbackOnDroppingSockets(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	// Every socket of the page closes itself 300 ms after its first frame.
	const cutter = `(() => { const WS = window.WebSocket; window.WebSocket = class extends WS {
		constructor(...a) { super(...a); window.__sockets = (window.__sockets || 0) + 1;
			this.addEventListener('message', () => { if (!this.__cut) this.__cut = setTimeout(() => this.close(3001), 300); }); } }; })()`
	if _, err := chromedp.Call(fac.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cutter}); err != nil {
		t.Fatalf("installing the socket cutter: %v", err)
	}
	createSession(t, fac, base, "Proksi yang memutus soket", "Budi Santoso")
	fac.waitJSFor("the page falls back to HTTP", onHTTP, 60*time.Second)
	if n := eval[int](fac, `window.__sockets || 0`); n < 3 {
		t.Errorf("fell back after %d sockets, want 3 failed in a row first", n)
	}
	const text = "Tetap jalan walau soket terputus"
	addNote(t, fac, 1, text)
	fac.waitJS("the note is acked over HTTP", onHTTP+` && `+noteShown(text)+` && !document.querySelector('[data-testid=note][data-pending]')`)
	if n := shownCount(fac, text); n != 1 {
		t.Errorf("the note shows %d times, want once", n)
	}
}
