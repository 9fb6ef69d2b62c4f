package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// maybeAxe runs axe-core on the page when REMBUK_AXE names it.
func maybeAxe(t *testing.T, b *browser, where string) {
	t.Helper()
	if os.Getenv("REMBUK_AXE") == "" {
		return
	}
	axeCheck(t, b, axeSource(t), where)
}

// settled is true once nothing on the page animates (a menu sliding up
// on a phone would take the click's mousedown and mouseup apart).
const settled = `document.getAnimations().every(a => a.playState !== 'running')`

// youJS is the page's identity as the server sees it for the page's token.
const youJS = `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
	const b = await (await fetch('/api/sessions/' + id + '/board', {headers: {Authorization: 'Bearer ' + tok}})).json(); return b.you.id; })()`

// participantsJS counts the board's participants named name (as the page's token sees them).
func participantsJS(name string) string {
	return `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
	const b = await (await fetch('/api/sessions/' + id + '/board', {headers: {Authorization: 'Bearer ' + tok}})).json();
	return b.participants.filter(p => p.name.toLowerCase() === ` + js(strings.ToLower(name)) + `).length; })()`
}

// TestRejoinSecondDevice: a phone (360×740) joins; a second browser opens
// the board as the same person through the phone's single-use link, and a
// third through the facilitator's approval of a request by name. All three
// are one participant and the attendance list has one row for them.
func TestRejoinSecondDevice(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Rapat pelayanan", "Budi Santoso")

	phone := newBrowser(t, "phone", 360, 740, true)
	phone.do("join on the phone",
		chromedp.Navigate(base+"/join/"+code),
		waitVisible(css(`[data-testid=join-name]`)),
		typeInto(css(`[data-testid=join-name]`), "Siti Rahayu"),
		click(css(`[data-testid=join-submit]`)),
		waitVisible(css(selBoard)),
	)
	phone.waitJS("connected", connected)
	pid := evalAwait[string](phone, youJS)

	// (b) The first device's link.
	phone.do("open the menu", click(css(`[data-testid=more-menu]`)), waitVisible(css(`[data-testid=menu-device]`)))
	phone.waitJS("the menu has settled", settled)
	phone.do("open the device link", click(css(`[data-testid=menu-device]`)), waitVisible(css(`[data-testid=device-qr]`)))
	phone.waitJS("the link is there", `!!document.querySelector('[data-testid=device-link]')?.value`)
	link := eval[string](phone, `document.querySelector('[data-testid=device-link]').value`)
	if !strings.Contains(link, "#perangkat=") {
		t.Fatalf("device link = %q", link)
	}
	phone.shot("01-device-link-360")
	maybeAxe(t, phone, "device link dialog 360")

	laptop := newBrowser(t, "laptop", 1280, 800, false)
	laptop.do("open the link on a second device", chromedp.Navigate(link), waitVisible(css(selBoard)))
	laptop.waitJS("connected", connected)
	if got := evalAwait[string](laptop, youJS); got != pid {
		t.Fatalf("the second device is %q, want the phone's participant %q", got, pid)
	}
	if strings.Contains(eval[string](laptop, `location.href`), "perangkat") {
		t.Fatalf("the secret stays in the address bar")
	}
	// Used once: a third browser opening the same link is refused.
	other := newBrowser(t, "other", 360, 740, true)
	other.do("open the used link", chromedp.Navigate(link), waitVisible(css(`[data-testid=gate-deviceLink]`)))
	other.shot("02-link-used-360")

	// (a) The facilitator's approval.
	// By keyboard: the toggle and the form answer Enter.
	other.do("ask the facilitator",
		chromedp.Navigate(base+"/join/"+code),
		focusOn(css(`[data-testid=rejoin-toggle]`)),
		chromedp.KeyEvent("\r"),
		typeInto(css(`[data-testid=rejoin-name]`), "siti rahayu\r"),
		waitVisible(css(`[data-testid=rejoin-waiting]`)),
	)
	other.shot("03-rejoin-waiting-360")
	maybeAxe(t, other, "rejoin wait 360")
	fac.do("the request shows", waitVisible(css(`[data-testid=rejoin-card]`)))
	fac.shot("04-rejoin-request-1280")
	maybeAxe(t, fac, "rejoin request 1280")
	fac.do("approve by keyboard", focusOn(css(`[data-testid=rejoin-approve]`)), chromedp.KeyEvent("\r"), waitGone(css(`[data-testid=rejoin-card]`)))
	other.do("the approved device opens the board", waitVisible(css(selBoard)))
	other.waitJS("connected", connected)
	if got := evalAwait[string](other, youJS); got != pid {
		t.Fatalf("the approved device is %q, want %q", got, pid)
	}
	other.shot("05-rejoined-360")
	fac.waitJS("one row for Siti", `document.querySelectorAll('[data-testid=participant]').length === 2`)
	if n := evalAwait[int](fac, participantsJS("Siti Rahayu")); n != 1 {
		t.Fatalf("attendance rows for Siti = %d, want 1", n)
	}
}

// TestMergeRows: someone who joined twice (two browsers, before rejoining
// existed) is merged by the facilitator: the second row's note becomes the
// first's, its page goes on as the first row, and the minutes' daftar hadir
// has one line for the person.
func TestMergeRows(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Rapat evaluasi", "Budi Santoso")
	phone := newBrowser(t, "phone", 360, 740, true)
	joinSession(t, phone, base, code, "Ani Wijaya")
	first := evalAwait[string](phone, youJS)
	desk := newBrowser(t, "desktop", 1280, 800, false)
	joinSession(t, desk, base, code, "Ani Wijaya")
	second := evalAwait[string](desk, youJS)
	addNote(t, desk, 1, "Catatan dari baris kedua")
	desk.waitJS("acked", noteShown("Catatan dari baris kedua"))

	fac.waitJS("two rows for Ani", `document.querySelectorAll('[data-testid=participant]').length === 3`)
	fac.do("open the second row's menu",
		click(css(`[data-participant-id="`+second+`"] [data-testid=participant-menu]`)),
		waitVisible(css(`[data-testid=merge-participant]`)))
	fac.waitJS("the menu has settled", settled)
	fac.do("merge the second row into the first",
		click(css(`[data-testid=merge-participant]`)),
		waitVisible(css(`[data-testid=merge-into]`)),
		setValue(css(`[data-testid=merge-into]`), first),
	)
	fac.shot("01-merge-dialog-1280")
	maybeAxe(t, fac, "merge dialog 1280")
	fac.do("confirm", click(css(`[data-testid=merge-ok]`)), waitGone(css(`[data-participant-id="`+second+`"]`)))
	fac.waitJS("one row for Ani", `document.querySelectorAll('[data-testid=participant]').length === 2`)
	fac.shot("02-merged-1280")

	desk.waitJS("the second browser goes on as the first row", `JSON.parse(localStorage.getItem('rembuk:session:' + location.pathname.split('/')[2])).participantId === `+js(first))
	desk.waitJS("connected", connected)
	if got := evalAwait[string](desk, youJS); got != first {
		t.Fatalf("the merged row's browser is %q, want %q", got, first)
	}
	phone.waitJS("the phone sees its new note as its own", `!!(`+noteSel("Catatan dari baris kedua")+`)?.dataset.mine`)
	phone.shot("03-merged-360")

	md := evalAwait[string](fac, `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
		return (await fetch('/api/sessions/' + id + '/minutes?format=md&lang=id', {headers: {Authorization: 'Bearer ' + tok}})).text(); })()`)
	lines := 0
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "|") && strings.Contains(l, "Ani Wijaya") {
			lines++
		}
	}
	if lines != 1 {
		t.Fatalf("daftar hadir lines for Ani = %d, want 1; minutes:\n%s", lines, md)
	}
}

// TestHiddenResultsMark: while results are hidden a participant's vote
// control says the total is hidden instead of "0 suara".
func TestHiddenResultsMark(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Rapat", "Budi Santoso")
	addNote(t, fac, 1, "Antrean panjang")
	fac.waitJS("acked", noteShown("Antrean panjang"))
	phone := newBrowser(t, "phone", 360, 740, true)
	joinSession(t, phone, base, code, "Sari")
	post := func(body string) {
		st := evalAwait[int](fac, `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
			const r = await fetch('/api/sessions/' + id + '/commands', {method: 'POST', headers: {Authorization: 'Bearer ' + tok, 'Content-Type': 'application/json'}, body: `+js(body)+`}); return r.status; })()`)
		if st != 200 {
			t.Fatalf("%s: %d", body, st)
		}
	}
	post(`{"type":"settings.update","ref":"e2e-h1","hideResults":true}`)
	post(`{"type":"phase.set","ref":"e2e-h2","phase":"vote"}`)
	post(`{"type":"vote.cast","ref":"e2e-h3","targetId":` + js(eval[string](fac, `(`+noteSel("Antrean panjang")+`).dataset.noteId`)) + `}`)
	phone.waitJS("the hidden mark", `!!document.querySelector('[data-testid=vote-hidden]')`)
	if txt := eval[string](phone, `document.querySelector('[data-testid=vote-count]').textContent`); strings.Contains(txt, "0 suara") {
		t.Fatalf("the participant's card shows %q while results are hidden", txt)
	}
	phone.shot("01-hidden-total-360")
	fac.waitJS("the facilitator sees the total", `document.querySelector('[data-testid=vote-count]')?.dataset.votes === '1'`)
}
