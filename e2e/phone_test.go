package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPhoneFit: on a 360-px touch phone the header keeps the code chip and
// a readable title while the timer runs, a long column name ends in an
// ellipsis in its tab, the colour swatches are 44×44 touch targets, and
// the selection bar fits.
func TestPhoneFit(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Diskusi Terfokus Pemetaan Masalah Pelayanan Publik", "Budi Santoso")
	fac.do("rename the first column to a long name",
		click(css(col(1)+` [data-testid=column-menu]`)), click(css(`[data-testid=column-rename]`)),
		waitVisible(css(`[data-testid=prompt-input]`)), setValue(css(`[data-testid=prompt-input]`), "Masalah pelayanan publik yang paling dirasakan masyarakat"),
		click(css(`[data-testid=prompt-ok]`)))
	par := newBrowser(t, "participant", 360, 740, true)
	par.do("a touch screen", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
	joinSession(t, par, base, code, "Sari Dewi")
	par.waitJS("the long column name", `document.querySelector('[data-testid=lane-tab]')?.textContent.includes('dirasakan')`)
	if got := eval[string](par, `(() => { const tab = document.querySelector('[data-testid=lane-tab]'); const n = tab.querySelector('.lane-tab-name');
		if (!n) return 'no name span'; const s = getComputedStyle(n);
		return s.textOverflow === 'ellipsis' && n.scrollWidth > n.clientWidth && tab.getBoundingClientRect().width <= 240 ? '' : 'overflow ' + s.textOverflow + ', ' + n.scrollWidth + '/' + n.clientWidth + ', tab ' + tab.getBoundingClientRect().width; })()`); got != "" {
		t.Errorf("the long column tab does not end in an ellipsis: %s", got)
	}

	par.do("open the composer", click(css(col(1)+` [data-testid=add-note]`)), waitVisible(css(`[data-testid=composer] [data-testid=color-pink]`)))
	if got := eval[string](par, `[...document.querySelectorAll('[data-testid=composer] .swatch')].map(b => b.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44).map(r => r.width + '×' + r.height).join(', ')`); got != "" {
		t.Errorf("swatches smaller than 44×44 on a touch screen: %s", got)
	}
	par.shot("00-composer-touch")
	par.do("post", typeInto(css(`[data-testid=note-input]`), "Antrean panjang"), click(css(`[data-testid=note-submit]`)))
	par.waitJS("the note", noteShown("Antrean panjang"))
	par.do("close the composer", click(css(`[data-testid=note-cancel]`)))

	fac.do("start a timer", click(css(`[data-testid=timer-open]`)), click(css(`[data-testid=timer-preset-5]`)))
	par.waitJS("the timer on the phone", `document.querySelector('[data-testid=timer]')`)
	// Participants are not given the join code (only staff may pass on a
	// rotated code, docs/protocol.md), so a participant's header has no code
	// chip; where there is one, it must stay on the screen.
	if got := eval[string](par, `(() => { const chip = document.querySelector('[data-testid=topbar-code]'); const title = document.querySelector('[data-testid=session-title]');
		const c = chip && chip.getBoundingClientRect(), r = title.getBoundingClientRect();
		return (!c || c.right <= innerWidth) && r.width >= 120 && r.right <= innerWidth ? '' : 'code chip ' + (c ? Math.round(c.left) + '–' + Math.round(c.right) : 'none') + ', title ' + Math.round(r.width) + ' px wide'; })()`); got != "" {
		t.Errorf("header with the timer running: %s", got)
	}
	par.shot("01-header-timer")

	setPhase(t, fac, "group")
	par.waitJS("group phase", `document.querySelector('[data-testid=board]').dataset.phase === 'group'`)
	clickNoteMenu(t, par, "Antrean panjang", "note-select-start")
	par.waitJS("the selection bar", `document.querySelector('[data-testid=selection-bar]')`)
	if got := eval[string](par, `(() => { const b = document.querySelector('[data-testid=selection-bar]'); const r = b.getBoundingClientRect();
		const out = [...b.querySelectorAll('*')].filter(e => { const x = e.getBoundingClientRect(); return x.left < r.left - 1 || x.right > r.right + 1; }).length;
		return r.left >= 0 && r.right <= innerWidth && b.scrollWidth <= b.clientWidth + 1 && !out ? '' : 'bar ' + Math.round(r.left) + '–' + Math.round(r.right) + ', scroll ' + b.scrollWidth + '/' + b.clientWidth + ', ' + out + ' parts outside'; })()`); got != "" {
		t.Errorf("the selection bar does not fit: %s", got)
	}
	par.shot("02-selection-bar")
}
