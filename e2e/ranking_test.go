package e2e

import (
	"fmt"
	"testing"
)

// TestRankingShowsOnBoard: in the ranking, the facilitator's click on a row
// spotlights the item for everyone and scrolls the board to it.
func TestRankingShowsOnBoard(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, base, "Uji peringkat", "Budi Santoso")
	last := ""
	for i := 1; i <= 10; i++ {
		last = fmt.Sprintf("Masalah nomor %d", i)
		addNote(t, fac, 1, last)
	}
	fac.waitJS("the notes", noteShown(last))
	fac.do("close the composer", click(css(`[data-testid=note-cancel]`)))
	setPhase(t, fac, "vote")
	id := eval[string](fac, `(`+noteSel(last)+`).dataset.noteId`)
	fac.do("score the last note", click(css(`[data-note-id="`+id+`"] [data-testid=usg-u-5]`)), click(css(`[data-note-id="`+id+`"] [data-testid=usg-s-5]`)), click(css(`[data-note-id="`+id+`"] [data-testid=usg-g-5]`)))
	fac.do("scroll the lane back to the top", click(css(`[data-testid=tab-rank]`)))
	eval[bool](fac, `(document.querySelector(`+js(col(1)+` .lane-body`)+`).scrollTop = 0, true)`)
	fac.waitJS("the note is out of view", `(() => { const b = document.querySelector(`+js(col(1)+` .lane-body`)+`).getBoundingClientRect(); const r = document.querySelector('[data-note-id="`+id+`"]').getBoundingClientRect(); return r.top >= b.bottom; })()`)
	fac.do("click its row", click(css(`[data-testid=ranking-row][data-target-id-row="`+id+`"] [data-testid=ranking-goto]`)))
	fac.waitJS("spotlighted", `document.querySelector('[data-note-id="`+id+`"].spotlight') && document.querySelector('[data-testid=banner-spotlight]')`)
	fac.waitJS("and in view", inView(`document.querySelector('[data-note-id="`+id+`"]')`))
	fac.shot("01-ranking-row-spotlight")
}
