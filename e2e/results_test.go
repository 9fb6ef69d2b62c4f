package e2e

import (
	"os"
	"testing"
)

// TestHiddenResultsRanking: with "Sembunyikan hasil sampai penilaian
// ditutup" on, a participant's ranking says the results are hidden while
// the facilitator's lists the scored note; closing the scoring shows the
// participant the ranking.
func TestHiddenResultsRanking(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Uji hasil tersembunyi", "Budi Santoso")
	par := newBrowser(t, "participant", 1280, 800, false)
	joinSession(t, par, base, code, "Ani Peserta")
	addNote(t, fac, 1, "Antrian panjang")
	fac.waitJS("the note", noteShown("Antrian panjang"))
	fac.do("close the composer", click(css(`[data-testid=note-cancel]`)))
	// axe-core, when there (REMBUK_AXE), checks the dialog with the new switch and the hidden ranking.
	axe := func(b *browser, where string) {
		if os.Getenv("REMBUK_AXE") != "" {
			axeCheck(t, b, axeSource(t), where)
		}
	}
	fac.do("hide results",
		click(css(`[data-testid=open-settings]`)), click(css(`[data-testid=setting-hideResults-input]`)))
	fac.waitJS("the switch is on", `document.querySelector('[data-testid=setting-hideResults-input]').checked`)
	axe(fac, "settings dialog")
	fac.do("close the settings", click(css(`[data-testid=settings-done]`)), waitGone(css(`[data-testid=settings-dialog]`)))
	setPhase(t, fac, "vote")
	id := eval[string](fac, `(`+noteSel("Antrian panjang")+`).dataset.noteId`)
	fac.do("score the note", click(css(`[data-note-id="`+id+`"] [data-testid=usg-u-5]`)), click(css(`[data-note-id="`+id+`"] [data-testid=usg-s-5]`)), click(css(`[data-note-id="`+id+`"] [data-testid=usg-g-5]`)))
	fac.do("open the ranking", click(css(`[data-testid=tab-rank]`)))
	fac.waitJS("the facilitator's ranking lists the note", `!!document.querySelector('[data-testid=ranking-row][data-target-id-row="`+id+`"]')`)
	par.waitJS("phase vote", `document.querySelector('[data-testid=board]').dataset.phase === 'vote'`)
	par.do("open the ranking", click(css(`[data-testid=tab-rank]`)))
	par.waitJS("the participant is told the results are hidden", `document.querySelector('[data-testid=results-hidden]')?.textContent.includes('Hasil disembunyikan sampai penilaian ditutup') && !document.querySelector('[data-testid=ranking]')`)
	par.shot("01-results-hidden")
	axe(par, "hidden ranking")
	setPhase(t, fac, "discuss")
	par.waitJS("phase discuss", `document.querySelector('[data-testid=board]').dataset.phase === 'discuss'`)
	par.do("open the ranking again (a new phase opens its own tab)", click(css(`[data-testid=tab-rank]`)))
	par.waitJS("the ranking shows once scoring closes", `!document.querySelector('[data-testid=results-hidden]') && !!document.querySelector('[data-testid=ranking-row][data-target-id-row="`+id+`"]')`)
}
