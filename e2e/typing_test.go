package e2e

import (
	"testing"
)

// These tests hold what a person has typed and not yet saved against
// everything that re-renders the board: a panel tab, the timer, the
// spotlight, a phase change and events from other people. Each types,
// lets the trigger happen, and reads the field back.

// fieldIs is a JS expression: the field exists and holds value.
func fieldIs(sel, value string) string {
	return `document.querySelector(` + js(sel) + `)?.value === ` + js(value)
}

// expectField fails the test unless the field holds value.
func expectField(t *testing.T, b *browser, when, sel, value string) {
	t.Helper()
	if !eval[bool](b, fieldIs(sel, value)) {
		b.shot("FAIL-" + sanitize(when))
		got := eval[string](b, `(() => { const e = document.querySelector(`+js(sel)+`); return e ? JSON.stringify(e.value) : 'no field'; })()`)
		t.Errorf("%s: %s holds %s, want %q", when, sel, got, value)
	}
}

const (
	recInput    = `[data-testid=session-record-input]`
	actText     = `[data-testid=action-form] [data-testid=action-text-input]`
	actOwner    = `[data-testid=action-form] [data-testid=action-owner-input]`
	spotRec     = `[data-testid=spotlight-record-input]`
	sessionRecJ = `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
		const b = await (await fetch('/api/sessions/' + id + '/board', {headers: {Authorization: 'Bearer ' + tok}})).json();
		return JSON.stringify((b.records || []).map(r => [r.targetId || '', r.text])); })()`
)

// TestTypedTextPanelTabs: the session conclusion and the new action keep
// their text when the facilitator switches panel tabs; saving an empty
// conclusion says nothing is saved and stores nothing.
func TestTypedTextPanelTabs(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, base, "Uji ketikan", "Budi Santoso")

	fac.do("save an empty conclusion", click(css(`[data-testid=tab-notes]`)), click(css(`[data-testid=session-record-save]`)))
	fac.waitJS("a toast answers", `document.querySelector('[data-testid=toast]')`)
	if eval[bool](fac, `[...document.querySelectorAll('[data-testid=toast]')].some(x => x.dataset.kind === 'ok')`) {
		t.Errorf("saving an empty conclusion showed %q", eval[string](fac, `document.querySelector('[data-testid=toast]').textContent`))
	}
	if got := evalAwait[string](fac, sessionRecJ); got != "[]" {
		t.Errorf("records after saving nothing: %s", got)
	}

	fac.do("type a conclusion", typeInto(css(recInput), "Kesimpulan sementara"))
	fac.do("type an action", click(css(`[data-testid=tab-actions]`)), typeInto(css(actText), "Menyusun SOP"), typeInto(css(actOwner), "Nadia"))
	fac.do("to the people tab and back to actions", click(css(`[data-testid=tab-people]`)), waitVisible(css(`[data-testid=participants]`)), click(css(`[data-testid=tab-actions]`)), waitVisible(css(actText)))
	expectField(t, fac, "action text after a tab switch", actText, "Menyusun SOP")
	expectField(t, fac, "action PIC after a tab switch", actOwner, "Nadia")
	fac.do("back to the conclusions", click(css(`[data-testid=tab-notes]`)), waitVisible(css(recInput)))
	expectField(t, fac, "conclusion after a tab switch", recInput, "Kesimpulan sementara")

	fac.do("save it", click(css(`[data-testid=session-record-save]`)))
	fac.waitJS("the saved toast", `document.querySelector('[data-testid=toast][data-kind=ok]')`)
	if got := evalAwait[string](fac, sessionRecJ); got != `[["","Kesimpulan sementara"]]` {
		t.Errorf("records after saving: %s", got)
	}
}

// TestTypedTextTimer: starting and stopping the timer keeps what is typed.
func TestTypedTextTimer(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, base, "Uji ketikan", "Budi Santoso")
	fac.do("type a conclusion", click(css(`[data-testid=tab-notes]`)), typeInto(css(recInput), "Sepakat menambah loket"))
	fac.do("start a timer", click(css(`[data-testid=timer-open]`)), click(css(`[data-testid=timer-preset-1]`)), waitVisible(css(`[data-testid=timer-stop]`)))
	expectField(t, fac, "conclusion after the timer started", recInput, "Sepakat menambah loket")
	fac.do("stop it", click(css(`[data-testid=timer-stop]`)), waitGone(css(`[data-testid=timer]`)))
	expectField(t, fac, "conclusion after the timer stopped", recInput, "Sepakat menambah loket")

	fac.do("type an action", click(css(`[data-testid=tab-actions]`)), typeInto(css(actText), "Menyusun SOP"))
	fac.do("start a timer again", click(css(`[data-testid=timer-open]`)), click(css(`[data-testid=timer-preset-3]`)), waitVisible(css(`[data-testid=timer-stop]`)))
	fac.do("stop it again", click(css(`[data-testid=timer-stop]`)), waitGone(css(`[data-testid=timer]`)))
	expectField(t, fac, "action after the timer", actText, "Menyusun SOP")

	fac.do("save the conclusion", click(css(`[data-testid=tab-notes]`)), click(css(`[data-testid=session-record-save]`)))
	fac.waitJS("the saved toast", `document.querySelector('[data-testid=toast][data-kind=ok]')`)
	if got := evalAwait[string](fac, sessionRecJ); got != `[["","Sepakat menambah loket"]]` {
		t.Errorf("records after saving: %s", got)
	}
}

// TestTypedTextSpotlight: setting and clearing a spotlight keeps the
// session conclusion, and a conclusion typed for the spotlighted card
// stays on screen after the spotlight is cleared, until saved.
func TestTypedTextSpotlight(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, base, "Uji ketikan", "Budi Santoso")
	addNote(t, fac, 1, "Antrean panjang")
	fac.waitJS("the note", noteShown("Antrean panjang"))
	fac.do("type a conclusion", click(css(`[data-testid=tab-notes]`)), typeInto(css(recInput), "Kesimpulan umum"))
	clickNoteMenu(t, fac, "Antrean panjang", "target-spotlight")
	fac.waitJS("the spotlight", `document.querySelector('[data-testid=banner-spotlight]')`)
	expectField(t, fac, "conclusion after the spotlight was set", recInput, "Kesimpulan umum")
	fac.do("type the card's conclusion", typeInto(css(spotRec), "Tambah loket"))
	fac.do("clear the spotlight", click(css(`[data-testid=spotlight-clear]`)))
	fac.waitJS("the spotlight is off", `!document.querySelector('[data-testid=spotlight-clear]')`)
	expectField(t, fac, "conclusion after the spotlight was cleared", recInput, "Kesimpulan umum")
	expectField(t, fac, "the card's unsaved conclusion after the spotlight was cleared", spotRec, "Tambah loket")
	fac.do("save the card's conclusion", click(css(`[data-testid=spotlight-record-save]`)))
	fac.waitJS("saved, the form goes", `!document.querySelector(`+js(spotRec)+`) && document.querySelector('[data-testid=record-box]')?.textContent.includes('Tambah loket')`)
}

// TestTypedTextPhaseChange: moving to the next phase neither flips a panel
// someone is typing in nor wipes it.
func TestTypedTextPhaseChange(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, base, "Uji ketikan", "Budi Santoso")
	setPhase(t, fac, "discuss")
	fac.waitJS("the conclusions tab", `document.querySelector(`+js(recInput)+`)`)
	fac.do("type a conclusion", typeInto(css(recInput), "Kesimpulan diskusi"))
	fac.do("next phase", click(css(`[data-testid=phase-next]`)))
	fac.waitJS("phase actions", `document.querySelector('[data-testid=board]').dataset.phase === 'actions'`)
	expectField(t, fac, "conclusion after the phase change", recInput, "Kesimpulan diskusi")

	fac.do("type an action", click(css(`[data-testid=tab-actions]`)), typeInto(css(actText), "Menyusun SOP"))
	setPhase(t, fac, "vote")
	expectField(t, fac, "action after the phase change", actText, "Menyusun SOP")
	setPhase(t, fac, "brainstorm")
	expectField(t, fac, "action after another phase change", actText, "Menyusun SOP")
}

// TestTypedTextOthersEvents: a participant's half-written note and note
// edit survive what the facilitator does meanwhile: locking the board and
// moving the note being edited to another column.
func TestTypedTextOthersEvents(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Uji ketikan", "Budi Santoso")
	par := newBrowser(t, "participant", 1280, 800, false)
	joinSession(t, par, base, code, "Sari Dewi")

	addNote(t, par, 1, "Catatan awal")
	par.waitJS("the note", noteShown("Catatan awal"))
	par.do("type without posting", typeInto(css(col(1)+` [data-testid=note-input]`), "setengah ditulis"))
	fac.do("lock the board", click(css(`[data-testid=open-settings]`)), click(css(`[data-testid=setting-locked-input]`)))
	par.waitJS("the lock arrives", `document.querySelector('[data-testid=banner-locked]')`)
	expectField(t, par, "the composer after the board was locked", col(1)+` [data-testid=note-input]`, "setengah ditulis")
	fac.do("unlock the board", click(css(`[data-testid=setting-locked-input]`)), click(css(`[data-testid=settings-done]`)))
	par.waitJS("the lock is gone", `!document.querySelector('[data-testid=banner-locked]')`)
	expectField(t, par, "the composer after the board was unlocked", col(1)+` [data-testid=note-input]`, "setengah ditulis")

	clickNoteMenu(t, par, "Catatan awal", "note-edit")
	par.do("edit the note", waitVisible(css(`[data-testid=note-edit-input]`)), typeInto(css(`[data-testid=note-edit-input]`), " yang diubah"))
	clickNoteMenu(t, fac, "Catatan awal", "note-move-column")
	fac.do("move it to the second column", click(css(`[data-testid=move-column-list] [data-testid=move-to-column]:not(.menu-checked)`)))
	par.waitJS("the note moved", `document.querySelector(`+js(col(2)+` [data-testid=note-edit-input]`)+`) || document.querySelector(`+js(col(2)+` [data-testid=note]`)+`)`)
	expectField(t, par, "the note editor after the note was moved", `[data-testid=note-edit-input]`, "Catatan awal yang diubah")
	expectField(t, par, "the composer after the move", col(1)+` [data-testid=note-input]`, "setengah ditulis")
}

// TestTypedTextPhone: a notulis on a 360-px phone writing the session
// conclusion in the panel tab keeps the tab and the text while the
// facilitator spotlights a card (which otherwise shows the board) and
// moves to the next phase.
func TestTypedTextPhone(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Uji ketikan", "Budi Santoso")
	not := newBrowser(t, "notulis", 360, 740, true)
	joinSession(t, not, base, code, "Nadia Putri")
	addNote(t, fac, 1, "Antrean panjang")
	nid := eval[string](fac, `(() => { const p = [...document.querySelectorAll('[data-testid=participant]')].find(p => p.textContent.includes('Nadia Putri')); return p ? p.dataset.participantId : ''; })()`)
	if nid == "" {
		fac.waitJS("Nadia in the list", `[...document.querySelectorAll('[data-testid=participant]')].some(p => p.textContent.includes('Nadia Putri'))`)
		nid = eval[string](fac, `[...document.querySelectorAll('[data-testid=participant]')].find(p => p.textContent.includes('Nadia Putri')).dataset.participantId`)
	}
	fac.do("make Nadia notulis", click(css(`[data-participant-id="`+nid+`"] [data-testid=participant-menu]`)), click(css(`[data-testid=make-notulis]`)))
	not.waitJS("Nadia is notulis", `document.querySelector('[data-testid=board]').dataset.role === 'notulis'`)

	not.do("write the conclusion", click(css(`[data-testid=mnav-notes]`)), typeInto(css(recInput), "Kesimpulan dari ponsel"))
	clickNoteMenu(t, fac, "Antrean panjang", "target-spotlight")
	not.waitJS("the spotlight arrives", `document.querySelector('[data-testid=banner-spotlight]')`)
	fac.do("next phase", click(css(`[data-testid=phase-next]`)))
	not.waitJS("phase group", `document.querySelector('[data-testid=board]').dataset.phase === 'group'`)
	not.waitJS("the conclusions tab is still open", `document.querySelector('[data-testid=mnav-notes]')?.getAttribute('aria-current') === 'page'`)
	expectField(t, not, "conclusion after spotlight and phase change", recInput, "Kesimpulan dari ponsel")
	not.shot("01-phone-typing-kept")
	not.do("save it", click(css(`[data-testid=session-record-save]`)))
	not.waitJS("saved", `document.querySelector('[data-testid=toast][data-kind=ok]')`)
}
