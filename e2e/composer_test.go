package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// inView is a JS expression: the element's box lies inside the lane body
// that scrolls it (and inside the window).
func inView(el string) string {
	return `(() => { const e = ` + el + `; if (!e) return false; const b = e.closest('.lane-body').getBoundingClientRect(); const r = e.getBoundingClientRect();
		return r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.bottom <= innerHeight && r.height > 0; })()`
}

// TestComposerAfterPost: on a phone, after "Tempel" in a column longer
// than the screen, the new card is scrolled into view and the composer is
// open, empty, visible and focused for the next card.
func TestComposerAfterPost(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Uji tempel", "Budi Santoso")
	par := newBrowser(t, "participant", 360, 740, true)
	joinSession(t, par, base, code, "Sari Dewi")
	for i := 1; i <= 10; i++ {
		text := fmt.Sprintf("Gagasan nomor %d tentang pelayanan", i)
		addNote(t, par, 1, text)
		par.waitJS("card "+text, noteShown(text)+` || document.querySelector('[data-testid=note][data-pending]')`)
		par.waitJS("the new card in view", inView(`[...document.querySelectorAll(`+js(col(1)+` [data-testid=note]`)+`)].find(n => n.textContent.includes(`+js(text)+`))`))
		par.waitJS("the composer ready", `document.activeElement?.dataset.testid === 'note-input' && document.activeElement.value === '' && `+inView(`document.activeElement`))
	}
	par.shot("01-tenth-card-in-view")

	// Keyboard hints are for keyboards: none on the touch phone, shown on the desktop.
	// (The harness's mobile viewport has no touch screen; this one gets one.)
	par.do("a touch screen", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
	par.waitJS("a coarse pointer", `matchMedia('(pointer: coarse)').matches`)
	if eval[bool](par, `getComputedStyle(document.querySelector('[data-testid=composer] .composer-hint')).display !== 'none'`) {
		t.Errorf("the phone shows the keyboard hint %q", eval[string](par, `document.querySelector('[data-testid=composer] .composer-hint').textContent`))
	}
	fac.do("open a composer", click(css(col(2)+` [data-testid=add-note]`)), waitVisible(css(col(2)+` [data-testid=note-input]`)))
	fac.waitJS("the desktop shows the keyboard hint", `getComputedStyle(document.querySelector('[data-testid=composer] .composer-hint')).display !== 'none'`)
}
