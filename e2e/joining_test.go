package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFacilitatorRescuesFloodedSession: from the invite card the
// facilitator closes joining (with a confirmation), a newcomer is told so
// on the join page, joining reopens, and a new code (confirmed) replaces
// the old one on the facilitator's page while the old code stops working.
func TestFacilitatorRescuesFloodedSession(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Sesi yang dibanjiri", "Budi Santoso")
	fac.do("close joining",
		click(css(`[data-testid=joining-toggle]`)),
		waitVisible(css(`[data-testid=joining-dialog]`)),
		click(css(`[data-testid=joining-dialog] [data-testid=confirm-ok]`)),
		waitVisible(css(`[data-testid=joining-closed]`)),
	)
	fac.shot("01-joining-closed")

	guest := newBrowser(t, "guest", 360, 740, true)
	tryJoin := func(c string) {
		guest.do("try to join with "+c,
			chromedp.Navigate(base+"/"),
			waitVisible(css(`[data-testid=join-code-input]`)),
			typeInto(css(`[data-testid=join-code-input]`), c),
			typeInto(css(`[data-testid=join-name]`), "Tamu Terlambat"),
			click(css(`[data-testid=join-submit]`)),
		)
	}
	tryJoin(code)
	guest.waitJS("the guest is told joining is closed",
		`document.querySelector('[data-testid=join-error]')?.textContent === 'Pendaftaran sesi ini sedang dikunci fasilitator.'`)
	guest.shot("02-join-refused")

	fac.do("reopen joining", click(css(`[data-testid=joining-toggle]`)), waitGone(css(`[data-testid=joining-closed]`)))
	fac.do("give the session a new code",
		click(css(`[data-testid=rotate-code]`)),
		waitVisible(css(`[data-testid=rotate-dialog]`)),
		click(css(`[data-testid=rotate-dialog] [data-testid=confirm-ok]`)),
	)
	fac.waitJS("the invite card shows a new code", `(() => { const c = document.querySelector('[data-testid=join-code]')?.textContent; return c && c !== `+js(code)+` && c.length === 6; })()`)
	newCode := eval[string](fac, `document.querySelector('[data-testid=join-code]').textContent`)
	fac.waitJS("the top bar shows it too", `document.querySelector('[data-testid=topbar-code] span').textContent === `+js(newCode))

	tryJoin(code)
	guest.waitJS("the old code is unknown", `document.querySelector('[data-testid=join-error]')?.textContent === 'Kode tidak ditemukan. Periksa lagi kodenya.'`)
	joinSession(t, guest, base, newCode, "Tamu Tepat Waktu")
	fac.waitJS("the guest is in", `[...document.querySelectorAll('[data-testid=participant]')].some(p => p.textContent.includes('Tamu Tepat Waktu'))`)
}
