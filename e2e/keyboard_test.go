package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestKeyboardAndLanguage: a participant adds a note and opens and closes
// its menu with the keyboard alone, and switches the page to English.
func TestKeyboardAndLanguage(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Uji papan ketik", "Budi Santoso")
	par := newBrowser(t, "participant", 1280, 800, false)
	joinSession(t, par, base, code, "Sari Dewi")

	const text = "Ditulis hanya dengan papan ketik"
	par.do("focus the add button", focusOn(css(col(1)+` [data-testid=add-note]`)))
	par.do("Enter opens the composer", chromedp.KeyEvent(kb.Enter))
	par.waitJS("the composer has focus", `document.activeElement?.dataset.testid === 'note-input'`)
	par.do("type and press Enter", chromedp.KeyEvent(text), chromedp.KeyEvent(kb.Enter))
	par.waitJS("the note is posted", noteShown(text))
	fac.waitJS("the facilitator sees it", noteShown(text))
	par.do("Escape closes the composer", chromedp.KeyEvent(kb.Escape))
	par.waitJS("composer closed", `!document.querySelector('[data-testid=note-input]')`)

	par.do("focus the note menu button", focusOn(css(`[data-testid=note] [data-testid=note-menu]`)))
	par.do("Enter opens the menu", chromedp.KeyEvent(kb.Enter))
	par.waitJS("focus is in the menu", `document.activeElement?.closest('[role=menu]')`)
	par.do("arrow down", chromedp.KeyEvent(kb.ArrowDown))
	par.do("Escape closes it", chromedp.KeyEvent(kb.Escape))
	par.waitJS("menu closed and focus back on its button", `!document.querySelector('[role=menu]') && document.activeElement?.dataset.testid === 'note-menu'`)

	par.do("edit by keyboard", chromedp.KeyEvent(kb.Enter))
	par.do("choose edit", click(css(`[data-testid=note-menu-list] [data-testid=note-edit]`)))
	par.waitJS("the editor has focus", `document.activeElement?.dataset.testid === 'note-edit-input'`)
	par.do("append and save", chromedp.KeyEvent(" (diubah)"), chromedp.KeyEvent(kb.Enter))
	fac.waitJS("the edit reaches the facilitator", noteShown(text+" (diubah)"))

	// A two-second timer (sent through the HTTP command fallback) reaches
	// zero on the participant's screen with a flash.
	if st := evalAwait[int](fac, `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token; const r = await fetch('/api/sessions/' + id + '/commands', {method: 'POST', headers: {Authorization: 'Bearer ' + tok, 'Content-Type': 'application/json'}, body: JSON.stringify({type: 'timer.start', ref: 'e2e-timer', seconds: 2})}); return r.status; })()`); st != 200 {
		t.Fatalf("timer.start over HTTP: status %d", st)
	}
	par.waitJS("the countdown shows", `document.querySelector('[data-testid=timer-text]')`)
	par.waitJS("it reaches zero and flashes", `document.querySelector('[data-testid=board]').classList.contains('flash') && document.querySelector('[data-testid=timer-text]').textContent === '0:00'`)
	par.shot("00-timer-zero")

	if got := eval[string](par, `document.querySelector('[data-testid=phase-brainstorm] .phase-name').textContent`); got != "Curah gagasan" {
		t.Errorf("phase name in Indonesian = %q", got)
	}
	par.do("switch to English", click(css(`[data-testid=lang-toggle]`)))
	par.waitJS("the page is in English", `document.querySelector('[data-testid=phase-brainstorm] .phase-name').textContent === 'Brainstorm' && document.documentElement.lang === 'en'`)
	par.do("reload", chromedp.Reload(), waitVisible(css(selBoard)))
	par.waitJS("English is remembered", `document.querySelector('[data-testid=phase-brainstorm] .phase-name')?.textContent === 'Brainstorm'`)
	par.shot("01-english")
}
