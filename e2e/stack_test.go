package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDropCardOnCard: dragging a card onto another stacks both into a new
// group titled with the card dropped on, for everyone; a card from another
// column joins it there.
func TestDropCardOnCard(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Uji tumpuk", "Budi Santoso")
	par := newBrowser(t, "participant", 1280, 800, false)
	joinSession(t, par, base, code, "Sari Dewi")
	addNote(t, fac, 1, "Antrean panjang di loket")
	addNote(t, fac, 1, "Loket buka terlambat")
	addNote(t, fac, 1, "Ruang tunggu sempit")
	addNote(t, fac, 2, "Petugas kurang")
	addNote(t, fac, 2, "Kursi tunggu kurang")
	fac.waitJS("the notes", noteShown("Antrean panjang di loket")+` && `+noteShown("Loket buka terlambat")+` && `+noteShown("Petugas kurang")+` && `+noteShown("Kursi tunggu kurang"))
	fac.do("close the composers", click(css(col(1)+` [data-testid=note-cancel]`)), click(css(col(2)+` [data-testid=note-cancel]`)))
	setPhase(t, fac, "group")
	a := eval[string](fac, `(`+noteSel("Antrean panjang di loket")+`).dataset.noteId`)
	b := eval[string](fac, `(`+noteSel("Loket buka terlambat")+`).dataset.noteId`)
	fac.do("drop one card on the other", chromedp.DragAndDrop(css(`[data-note-id="`+b+`"]`), css(`[data-note-id="`+a+`"] [data-testid=note-text]`)))
	par.waitJS("a new group with both cards, titled after the card dropped on",
		`(() => { const g = document.querySelector('[data-testid=group]'); return g && g.querySelector('[data-testid=group-title]').textContent === 'Antrean panjang di loket' && g.querySelectorAll('[data-testid=note]').length === 2; })()`)
	c := eval[string](fac, `(`+noteSel("Petugas kurang")+`).dataset.noteId`)
	fac.do("drop a card from the next column on the group", chromedp.DragAndDrop(css(`[data-note-id="`+c+`"]`), css(`[data-testid=group] [data-testid=group-title]`)))
	par.waitJS("it joined the group", `document.querySelectorAll('[data-testid=group] [data-testid=note]').length === 3`)
	r := eval[string](fac, `(`+noteSel("Ruang tunggu sempit")+`).dataset.noteId`)
	k := eval[string](fac, `(`+noteSel("Kursi tunggu kurang")+`).dataset.noteId`)
	fac.do("drop a card from the next column on a loose card", chromedp.DragAndDrop(css(`[data-note-id="`+k+`"]`), css(`[data-note-id="`+r+`"] [data-testid=note-text]`)))
	par.waitJS("both in a new group in the first column",
		`[...document.querySelectorAll(`+js(col(1)+` [data-testid=group]`)+`)].some(g => g.querySelector('[data-testid=group-title]').textContent === 'Ruang tunggu sempit' && g.querySelectorAll('[data-testid=note]').length === 2)`)
	fac.shot("01-stacked")
}
