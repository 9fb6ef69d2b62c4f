package e2e

import (
	"testing"
)

// TestMinutesDialogLanguage: the download dialog offers the session's
// language first, even when this screen was switched to the other one.
func TestMinutesDialogLanguage(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, base, "Uji bahasa notulen", "Budi Santoso")
	fac.do("switch the screen to English", click(css(`[data-testid=lang-toggle]`)))
	fac.waitJS("English", `document.documentElement.lang === 'en'`)
	fac.do("open the minutes dialog", click(css(`[data-testid=more-menu]`)), click(css(`[data-testid=menu-minutes]`)), waitVisible(css(`[data-testid=minutes-dialog]`)))
	if !eval[bool](fac, `document.querySelector('[data-testid=minutes-lang-id]').checked`) {
		t.Errorf("the minutes dialog of an Indonesian session offers %q first", eval[string](fac, `document.querySelector('[name=lang]:checked')?.value || 'nothing'`))
	}
}
