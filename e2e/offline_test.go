package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOfflineOutbox: what a participant writes while the server is away
// waits in the page (shown as pending, kept in localStorage), goes out once
// on reconnect, and is neither lost nor doubled; a reload keeps identity.
func TestOfflineOutbox(t *testing.T) {
	srv := newServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, srv.url, "Uji koneksi", "Budi Santoso")
	par := newBrowser(t, "participant", 360, 740, true)
	joinSession(t, par, srv.url, code, "Sari Dewi")

	const before, offline = "Ditulis sebelum putus", "Ditulis saat server mati"
	addNote(t, par, 1, before)
	par.waitJS("the first note is acked", noteShown(before))

	srv.stop()
	par.waitJS("the page shows it is not connected", `document.querySelector('[data-testid=conn-status]').dataset.status !== 'connected'`)
	addNote(t, par, 1, offline)
	par.waitJS("the note shows as pending", `[...document.querySelectorAll('[data-testid=note][data-pending] [data-testid=note-text]')].some(e => e.textContent === `+js(offline)+`) && document.querySelector('[data-testid=outbox-count]')`)
	if n := eval[int](par, `(() => { const id = location.pathname.split('/')[2]; return JSON.parse(localStorage.getItem('rembuk:outbox:' + id) || '[]').length; })()`); n != 1 {
		t.Errorf("outbox in localStorage holds %d commands, want 1", n)
	}
	par.shot("01-offline-pending")

	srv.start()
	par.waitJS("the pending note is acked after the reconnect", connected+` && `+noteShown(offline)+` && !document.querySelector('[data-testid=note][data-pending]')`)
	fac.waitJS("the facilitator reconnects and sees it", connected+` && `+noteShown(offline))
	time.Sleep(500 * time.Millisecond)
	for _, b := range []*browser{fac, par} {
		if n := eval[int](b, `[...document.querySelectorAll('[data-testid=note-text]')].filter(e => e.textContent === `+js(offline)+`).length`); n != 1 {
			t.Errorf("%s: the offline note shows %d times, want once", b.name, n)
		}
	}
	if n := eval[int](par, `(() => { const id = location.pathname.split('/')[2]; return JSON.parse(localStorage.getItem('rembuk:outbox:' + id) || '[]').length; })()`); n != 0 {
		t.Errorf("outbox after the ack holds %d commands, want 0", n)
	}
	par.shot("02-reconnected")

	par.do("reload the page", chromedp.Reload(), waitVisible(css(selBoard)))
	par.waitJS("the same identity after a reload", connected+` && document.querySelectorAll('[data-testid=note][data-mine]').length === 2`)
	if role := eval[string](par, `document.querySelector('[data-testid=board]').dataset.role`); role != "participant" {
		t.Errorf("role after reload = %q", role)
	}
}

// TestOutboxBurst: more commands waiting than the server takes at once (it
// allows bursts of 40, then 20 a second per connection): a reload finds 60
// notes in the outbox, and the page sends them paced, retrying what was
// refused as too fast, until each is on the board exactly once.
func TestOutboxBurst(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, base, "Banyak kartu tertunda", "Budi Santoso")
	const n = 60
	eval[bool](fac, `(() => { const id = location.pathname.split('/')[2]; const col = document.querySelector('[data-testid=column]').dataset.columnId;
		const list = Array.from({length: `+fmt.Sprint(n)+`}, (_, i) => ({type: 'note.add', ref: 'burst-' + i, columnId: col, text: 'Kartu tertunda ' + (i + 1)}));
		localStorage.setItem('rembuk:outbox:' + id, JSON.stringify(list)); return true; })()`)
	fac.do("reload with a full outbox", chromedp.Reload(), waitVisible(css(selBoard)))
	fac.waitJSFor("every waiting note is acked", connected+` && !document.querySelector('[data-testid=note][data-pending]') && document.querySelectorAll('[data-testid=note]').length === `+fmt.Sprint(n), 60*time.Second)
	if got := eval[int](fac, `new Set([...document.querySelectorAll('[data-testid=note-text]')].map(e => e.textContent)).size`); got != n {
		t.Errorf("%d distinct notes, want %d", got, n)
	}
	if got := count(fac, `[data-testid=toast][data-kind=error]`); got != 0 {
		t.Errorf("%d error toasts while sending the outbox", got)
	}
	if got := evalAwait[int](fac, `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
		const b = await (await fetch('/api/sessions/' + id + '/board', {headers: {Authorization: 'Bearer ' + tok}})).json(); return b.notes.length; })()`); got != n {
		t.Errorf("the server holds %d notes, want %d", got, n)
	}
}
