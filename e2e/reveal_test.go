package e2e

import (
	"testing"
)

// TestRevealAsksOnce: "Buka semua kartu" asks once; cancelling sends
// nothing (a later note's ack proves the order), confirming reveals.
func TestRevealAsksOnce(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, base, "Uji buka kartu", "Budi Santoso")
	fac.do("private brainstorm on",
		click(css(`[data-testid=open-settings]`)), click(css(`[data-testid=setting-private-input]`)),
		click(css(`[data-testid=settings-done]`)), waitGone(css(`[data-testid=settings-dialog]`)))
	fac.waitJS("the private banner", `document.querySelector('[data-testid=reveal-button]')`)
	addNote(t, fac, 1, "Kartu rahasia")
	fac.waitJS("the note", noteShown("Kartu rahasia"))

	fac.do("click reveal", click(css(`[data-testid=reveal-button]`)))
	fac.waitJS("a question, with the count", `document.querySelector('[data-testid=reveal-dialog]')?.textContent.includes('1 kartu')`)
	fac.shot("01-reveal-asks")
	fac.do("cancel", click(css(`[data-testid=reveal-dialog] .btn-ghost`)), waitGone(css(`[data-testid=reveal-dialog]`)))
	addNote(t, fac, 1, "Kartu kedua")
	fac.waitJS("the second note is acked", noteShown("Kartu kedua"))
	if !eval[bool](fac, `!!document.querySelector('[data-testid=reveal-button]')`) {
		t.Fatalf("cancelling the question revealed the cards")
	}
	fac.do("reveal, confirmed", click(css(`[data-testid=reveal-button]`)), waitVisible(css(`[data-testid=reveal-dialog]`)), click(css(`[data-testid=confirm-ok]`)))
	fac.waitJS("revealed", `!document.querySelector('[data-testid=banner-private]')`)
}
