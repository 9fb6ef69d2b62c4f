package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFacilitatorTools: a passcode session joined through the /join/{CODE}
// link, anonymous mode, adding/renaming/deleting a column, moving a note
// by menu and by drag, and removing a participant (who sees why).
func TestFacilitatorTools(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	fac.do("create a session with a passcode",
		chromedp.Navigate(base+"/"),
		waitVisible(css(`[data-testid=template-kosong]`)),
		click(css(`[data-testid=template-kosong]`)),
		typeInto(css(`[data-testid=create-title]`), "Rapat tertutup"),
		typeInto(css(`[data-testid=create-name]`), "Budi Santoso"),
		click(css(`details.more > summary`)),
		typeInto(css(`[data-testid=create-passcode]`), "rahasia"),
		click(css(`[data-testid=create-submit]`)),
		waitVisible(css(selBoard)),
	)
	fac.waitJS("connected", connected)
	code := eval[string](fac, `document.querySelector('[data-testid=topbar-code] span').textContent`)

	par := newBrowser(t, "participant", 360, 740, true)
	par.do("open the join link",
		chromedp.Navigate(base+"/join/"+code),
		waitVisible(css(`[data-testid=join-page]`)),
		typeInto(css(`[data-testid=join-name]`), "Sari Dewi"),
		click(css(`[data-testid=join-submit]`)),
		waitVisible(css(`[data-testid=join-passcode]`)),
	)
	par.shot("01-join-needs-passcode")
	par.do("give the passcode",
		typeInto(css(`[data-testid=join-passcode]`), "rahasia"),
		click(css(`[data-testid=join-submit]`)),
		waitVisible(css(selBoard)),
	)
	par.waitJS("connected", connected)

	// Opening the join link again on the same phone is a rejoin: the same
	// person (no passcode asked, no second row in the list), even with
	// another name typed.
	myID := `(() => { const id = location.pathname.split('/')[2]; return JSON.parse(localStorage.getItem('rembuk:session:' + id)).participantId; })()`
	sariID := eval[string](par, myID)
	fac.waitJS("two people", `document.querySelectorAll('[data-testid=participant]').length === 2`)
	par.do("open the join link again",
		chromedp.Navigate(base+"/join/"+code),
		waitVisible(css(`[data-testid=join-continue]`)),
		setValue(css(`[data-testid=join-name]`), "Sari D."),
		click(css(`[data-testid=join-submit]`)),
		waitVisible(css(selBoard)),
	)
	par.waitJS("connected again", connected)
	if got := eval[string](par, myID); got != sariID {
		t.Errorf("after rejoining, participant %q, want the same %q", got, sariID)
	}
	if got := eval[string](par, `document.querySelector('[data-testid=board]').dataset.role`); got != "participant" {
		t.Errorf("after rejoining, role %q", got)
	}

	// Columns: add, rename; anonymous notes.
	fac.do("add a column",
		click(css(`[data-testid=add-column]`)),
		waitVisible(css(`[data-testid=prompt-input]`)),
		typeInto(css(`[data-testid=prompt-input]`), "Usulan"),
		setValue(css(`[data-testid=column-kind-input]`), "innovation"),
		click(css(`[data-testid=prompt-ok]`)),
	)
	par.waitJS("the new column reaches the phone", `document.querySelectorAll('[data-testid=column]').length === 2`)
	fac.do("rename it",
		click(css(col(2)+` [data-testid=column-menu]`)),
		click(css(`[data-testid=column-rename]`)),
		waitVisible(css(`[data-testid=prompt-input]`)),
		setValue(css(`[data-testid=prompt-input]`), "Usulan Inovasi"),
		click(css(`[data-testid=prompt-ok]`)),
	)
	par.waitJS("renamed on the phone", `document.querySelectorAll('[data-testid=column-title]')[1]?.textContent === 'Usulan Inovasi'`)

	fac.do("turn anonymous on",
		click(css(`[data-testid=open-settings]`)),
		click(css(`[data-testid=setting-anonymous-input]`)),
		click(css(`[data-testid=settings-done]`)),
	)
	const secret = "Catatan tanpa nama"
	par.waitJS("anonymous reaches the phone", `true`)
	addNote(t, par, 1, secret)
	fac.waitJS("the facilitator sees the note", noteShown(secret))
	// Events come in seq order: a second row for the rejoin would be here by now.
	if n := count(fac, `[data-testid=participant]`); n != 2 {
		t.Errorf("after a rejoin the facilitator lists %d people, want 2", n)
	}
	if got := eval[string](fac, `(`+noteSel(secret)+`).querySelector('[data-testid=note-author]').textContent`); got == "Sari Dewi" {
		t.Errorf("anonymous mode: the facilitator sees the author's name")
	}
	fac.shot("02-anonymous")

	// Anonymity off: a note written while it was on stays anonymous (issue 9).
	fac.do("turn anonymous off",
		click(css(`[data-testid=open-settings]`)),
		click(css(`[data-testid=setting-anonymous-input]`)),
		click(css(`[data-testid=settings-done]`)),
	)
	const named = "Catatan bernama"
	addNote(t, par, 1, named)
	fac.waitJS("a note written after anonymity is named",
		noteShown(named)+` && (`+noteSel(named)+`).querySelector('[data-testid=note-author]').textContent === 'Sari Dewi'`)
	if got := eval[string](fac, `(`+noteSel(secret)+`).querySelector('[data-testid=note-author]').textContent`); got != "Anonim" {
		t.Errorf("after anonymity is off, the note written while it was on is labelled %q, want Anonim", got)
	}
	par.waitJS("the named note is on the phone", noteShown(named))
	if got := eval[string](par, `(`+noteSel(secret)+`).querySelector('[data-testid=note-author]').textContent`); got != "Anda (anonim bagi yang lain)" {
		t.Errorf("the author's own anonymous note is labelled %q after anonymity is off", got)
	}
	clickNoteMenu(t, par, named, "note-delete")
	par.do("confirm the delete", waitVisible(css(`[data-testid=confirm-ok]`)), click(css(`[data-testid=confirm-ok]`)))
	fac.waitJS("the named note is gone", `!(`+noteShown(named)+`)`)

	// Move by menu to the new column, then back by drag on the desktop.
	par.do("open the note menu", click(css(`[data-testid=note] [data-testid=note-menu]`)), waitVisible(css(`[data-testid=note-move-column]`)))
	par.shot("02-note-menu-sheet")
	par.do("close it", chromedp.KeyEvent("\x1b"), waitGone(css(`[data-testid=note-menu-list]`)))
	clickNoteMenu(t, par, secret, "note-move-column")
	par.do("pick the second column", click(css(`[data-testid=move-column-list] [data-testid=move-to-column]:nth-of-type(2)`)))
	fac.waitJS("moved by menu", `document.querySelector(`+js(col(2)+` [data-testid=note]`)+`)`)
	fac.do("drag it back", chromedp.DragAndDrop(css(col(2)+` [data-testid=note]`), css(col(1)+` .lane-body`)))
	par.waitJS("moved back by drag", `document.querySelector(`+js(col(1)+` [data-testid=note]`)+`)`)

	fac.do("delete the column",
		click(css(col(2)+` [data-testid=column-menu]`)),
		click(css(`[data-testid=column-delete]`)),
		waitVisible(css(`[data-testid=confirm-ok]`)),
		click(css(`[data-testid=confirm-ok]`)),
	)
	par.waitJS("the column is gone on the phone", `document.querySelectorAll('[data-testid=column]').length === 1`)

	// Lock: the participant can only read.
	fac.do("lock the board",
		click(css(`[data-testid=open-settings]`)),
		click(css(`[data-testid=setting-locked-input]`)),
		click(css(`[data-testid=settings-done]`)),
	)
	par.waitJS("locked on the phone", `document.querySelector('[data-testid=banner-locked]') && !document.querySelector('[data-testid=add-note]')`)
	par.shot("03-locked")
	fac.do("unlock",
		click(css(`[data-testid=open-settings]`)),
		click(css(`[data-testid=setting-locked-input]`)),
		click(css(`[data-testid=settings-done]`)),
	)
	par.waitJS("unlocked on the phone", `!document.querySelector('[data-testid=banner-locked]') && document.querySelector('[data-testid=add-note], [data-testid=composer]')`)

	// The facilitator groups by selecting notes (any phase).
	addNote(t, fac, 1, "Kedua")
	fac.waitJS("two notes", noteShown("Kedua"))
	clickNoteMenu(t, fac, secret, "note-select-start")
	fac.do("select the second note", click(css(`[data-note-id="`+eval[string](fac, `(`+noteSel("Kedua")+`).dataset.noteId`)+`"] [data-testid=note-select]`)))
	fac.waitJS("two selected", `document.querySelector('[data-testid=selection-count]').textContent.startsWith('2')`)
	fac.shot("04-selecting")
	fac.do("create the group",
		click(css(`[data-testid=group-create]`)),
		waitVisible(css(`[data-testid=prompt-input]`)),
		typeInto(css(`[data-testid=prompt-input]`), "Dua kartu"),
		click(css(`[data-testid=prompt-ok]`)),
	)
	par.waitJS("the group with two notes on the phone", `document.querySelectorAll('[data-testid=group] [data-testid=note]').length === 2`)

	fac.do("rename the group",
		click(css(`[data-testid=group] [data-testid=group-menu]`)),
		click(css(`[data-testid=group-rename]`)),
		waitVisible(css(`[data-testid=prompt-input]`)),
		setValue(css(`[data-testid=prompt-input]`), "Kelompok baru"),
		click(css(`[data-testid=prompt-ok]`)),
	)
	par.waitJS("renamed on the phone", `document.querySelector('[data-testid=group-title]')?.textContent === 'Kelompok baru'`)
	fac.do("delete the group",
		click(css(`[data-testid=group] [data-testid=group-menu]`)),
		click(css(`[data-testid=group-delete]`)),
		waitVisible(css(`[data-testid=confirm-ok]`)),
		click(css(`[data-testid=confirm-ok]`)),
	)
	par.waitJS("the group is gone and its notes stay", `!document.querySelector('[data-testid=group]') && document.querySelectorAll('[data-testid=note]').length === 2`)
	clickNoteMenu(t, fac, "Kedua", "note-delete")
	fac.do("confirm the delete", waitVisible(css(`[data-testid=confirm-ok]`)), click(css(`[data-testid=confirm-ok]`)))
	par.waitJS("the note is gone on the phone", `document.querySelectorAll('[data-testid=note]').length === 1`)

	const overall = "Rapat sepakat menata ulang alur pengaduan."
	fac.do("write the session conclusion",
		click(css(`[data-testid=tab-notes]`)),
		typeInto(css(`[data-testid=session-record-input]`), overall),
		click(css(`[data-testid=session-record-save]`)),
	)
	par.do("open the conclusions tab", click(css(`[data-testid=mnav-notes]`)))
	par.waitJS("the phone shows the session conclusion", `document.querySelector('[data-testid=session-record]')?.textContent === `+js(overall))
	par.shot("05-conclusion-phone")
	fac.do("back to people", click(css(`[data-testid=tab-people]`)))
	fac.waitJS("the people list", `[...document.querySelectorAll('[data-testid=participant]')].some(p => p.textContent.includes('Sari Dewi'))`)

	// Remove the participant.
	pid := eval[string](fac, `[...document.querySelectorAll('[data-testid=participant]')].find(p => p.textContent.includes('Sari Dewi')).dataset.participantId`)
	fac.do("remove Sari",
		click(css(`[data-participant-id="`+pid+`"] [data-testid=participant-menu]`)),
		click(css(`[data-testid=remove-participant]`)),
		waitVisible(css(`[data-testid=confirm-ok]`)),
		click(css(`[data-testid=confirm-ok]`)),
	)
	par.waitJS("the phone says she was removed", `document.querySelector('[data-testid=gate-removed]')`)
	par.shot("03-removed")
	if n := eval[int](par, `Object.keys(localStorage).filter(k => k.startsWith('rembuk:session:')).length`); n != 0 {
		t.Errorf("the removed participant's token is still kept (%d)", n)
	}
	fac.waitJS("she is gone from the list", `![...document.querySelectorAll('[data-testid=participant]')].some(p => p.textContent.includes('Sari Dewi'))`)
}
