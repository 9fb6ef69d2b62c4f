package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFacilitatedSession walks a whole discussion in three browsers: the
// facilitator (1280 wide), the notulis (1280) and a participant on a phone
// (360): private brainstorm, reveal, roles, group by menu, votes until the
// budget is gone, USG and the ranking, a link, spotlight and record, an
// action, and closing the session.
func TestFacilitatedSession(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Diskusi Terfokus Pelayanan Publik", "Budi Santoso")
	// Written before the private brainstorm: readable by all, never counted as private.
	const early = "Catatan sebelum sesi privat"
	addNote(t, fac, 2, early)
	fac.waitJS("the early note is acked", noteShown(early))

	// Settings: private brainstorm on, 3 votes each.
	fac.do("open settings",
		click(css(`[data-testid=open-settings]`)),
		waitVisible(css(`[data-testid=settings-dialog]`)),
		click(css(`[data-testid=setting-private-input]`)),
	)
	fac.waitJS("private brainstorm on", `document.querySelector('[data-testid=banner-private]')`)
	fac.do("two votes fewer", click(css(`[data-testid=setting-votes-minus]`)))
	fac.waitJS("4 votes", `document.querySelector('[data-testid=setting-votes]').textContent === '4'`)
	fac.do("one vote fewer", click(css(`[data-testid=setting-votes-minus]`)))
	fac.waitJS("3 votes", `document.querySelector('[data-testid=setting-votes]').textContent === '3'`)
	fac.shot("01-settings")
	fac.do("close settings", click(css(`[data-testid=settings-done]`)), waitGone(css(`[data-testid=settings-dialog]`)))

	not := newBrowser(t, "notulis", 1280, 800, false)
	joinSession(t, not, base, code, "Nadia Putri")
	par := newBrowser(t, "participant", 360, 740, true)
	joinSession(t, par, base, code, "Sari Dewi")

	const (
		p1  = "Waktu tunggu layanan lebih dari dua jam"
		p2  = "Antrean menumpuk karena loket sedikit"
		p3  = "Informasi persyaratan tidak jelas"
		inv = "Antrean daring dengan nomor lewat WhatsApp"
	)
	addNote(t, par, 1, p1)
	addNote(t, par, 1, p2)
	addNote(t, par, 3, inv)
	par.waitJS("the participant's notes are acked", noteShown(p1)+` && `+noteShown(p2)+` && `+noteShown(inv))
	addNote(t, not, 1, p3)
	not.waitJS("the notulis sees the participant's notes face down",
		`document.querySelector(`+js(col(1)+` [data-testid=hidden-count]`)+`)?.dataset.count === '2'`)
	if not.waitJS("own note readable", noteShown(p3)+` && `+noteShown(early)); count(not, `[data-testid=note-text]`) != 2 {
		t.Errorf("the notulis reads %d notes during private brainstorm, want only their own and the one from before", count(not, `[data-testid=note-text]`))
	}
	privateCounts := `document.querySelector(` + js(col(1)+` [data-testid=column-hidden-count]`) + `)?.dataset.count === '3' && !document.querySelector(` + js(col(2)+` [data-testid=column-hidden-count]`) + `)`
	fac.waitJS("the facilitator reads all and sees hidden counts", noteShown(p1)+` && `+noteShown(p3)+` && `+noteShown(early)+` && `+privateCounts)
	// The snapshot marks private notes, so the counts survive a reload.
	fac.do("reload the facilitator's page", chromedp.Reload(), waitVisible(css(selBoard)))
	fac.waitJS("the same hidden counts after a reload", connected+` && `+noteShown(p1)+` && `+privateCounts)
	fac.shot("02-private-brainstorm")
	not.shot("02-private-brainstorm-notulis")
	par.shot("02-private-brainstorm-phone")

	fac.do("reveal", click(css(`[data-testid=reveal-button]`)), waitVisible(css(`[data-testid=reveal-dialog]`)), click(css(`[data-testid=confirm-ok]`)))
	not.waitJS("the notulis reads every note after the reveal", noteShown(p1)+` && `+noteShown(p2)+` && `+noteShown(inv))
	if n := count(not, `[data-testid=hidden-count]`); n != 0 {
		t.Errorf("hidden stacks after reveal = %d", n)
	}

	// Roles: Nadia becomes the notulis.
	nid := eval[string](fac, `[...document.querySelectorAll('[data-testid=participant]')].find(p => p.textContent.includes('Nadia Putri')).dataset.participantId`)
	fac.do("make Nadia notulis",
		click(css(`[data-participant-id="`+nid+`"] [data-testid=participant-menu]`)),
		click(css(`[data-testid=make-notulis]`)),
	)
	not.waitJS("Nadia is notulis", `document.querySelector('[data-testid=board]').dataset.role === 'notulis'`)

	// Group phase: the participant groups by menu on the phone.
	setPhase(t, fac, "group")
	par.waitJS("the participant is in phase group", `document.querySelector('[data-testid=board]').dataset.phase === 'group'`)
	clickNoteMenu(t, par, p1, "note-move-group")
	par.do("new group with this note",
		click(css(`[data-testid=move-new-group]`)),
		waitVisible(css(`[data-testid=prompt-input]`)),
		typeInto(css(`[data-testid=prompt-input]`), "Antrean panjang"),
		click(css(`[data-testid=prompt-ok]`)),
	)
	par.waitJS("the group exists", `document.querySelector('[data-testid=group-title]')?.textContent === 'Antrean panjang'`)
	clickNoteMenu(t, par, p2, "note-move-group")
	par.do("into the group", click(css(`[data-testid=move-to-group]`)))
	fac.waitJS("two notes in the group", `document.querySelectorAll('[data-testid=group] [data-testid=note]').length === 2`)
	fac.shot("03-group")
	par.shot("03-group-phone")

	// Vote phase: votes until the budget is gone, USG scores, ranking.
	setPhase(t, fac, "vote")
	par.waitJS("vote controls on the phone", `document.querySelector('[data-testid=group] [data-testid=vote-plus]')`)
	for i := 0; i < 3; i++ {
		par.do("vote", click(css(`[data-testid=group] [data-testid=vote-plus]`)))
		want := js(string(rune('2' - i)))
		par.waitJS("votes left", `document.querySelector('[data-testid=votes-left]').dataset.left === `+want)
	}
	par.waitJS("the budget is gone", `document.querySelector('[data-testid=group] [data-testid=vote-plus]').disabled`)
	par.do("score the group",
		click(css(`[data-testid=group] [data-testid=usg-u-5]`)),
		click(css(`[data-testid=group] [data-testid=usg-s-4]`)),
		click(css(`[data-testid=group] [data-testid=usg-g-3]`)),
	)
	not.do("the notulis scores the group",
		click(css(`[data-testid=group] [data-testid=usg-u-3]`)),
		click(css(`[data-testid=group] [data-testid=usg-s-3]`)),
		click(css(`[data-testid=group] [data-testid=usg-g-3]`)),
	)
	fac.do("open the ranking", click(css(`[data-testid=tab-rank]`)))
	fac.waitJS("the ranking shows the group first with 2 raters and 3 votes",
		`(() => { const r = document.querySelector('[data-testid=ranking-row]'); return r && r.textContent.includes('Antrean panjang') && r.querySelector('[data-testid=ranking-total]').textContent.replace(',', '.') === '10.5' && r.querySelector('[data-testid=ranking-votes]').textContent === '3'; })()`)
	fac.do("start a one-minute timer",
		click(css(`[data-testid=timer-open]`)),
		waitVisible(css(`[data-testid=timer-dialog]`)),
		click(css(`[data-testid=timer-preset-1]`)),
	)
	par.waitJS("the phone shows the countdown", `/^(1:00|0:5\d)$/.test(document.querySelector('[data-testid=timer-text]')?.textContent || '')`)
	fac.shot("04-vote-ranking")
	par.shot("04-vote-phone")
	not.shot("04-vote-notulis")

	fac.do("stop the timer", click(css(`[data-testid=timer-stop]`)))
	par.waitJS("the countdown is gone", `!document.querySelector('[data-testid=timer]')`)

	// Link the innovation to the group.
	clickNoteMenu(t, fac, inv, "note-link")
	gid := eval[string](fac, `document.querySelector('[data-testid=group]').dataset.groupId`)
	fac.do("link to the group",
		waitVisible(css(`[data-testid=link-dialog]`)),
		click(css(`[data-testid=link-option][data-target-id="`+gid+`"]`)),
	)
	fac.waitJS("the link is on both", `document.querySelectorAll('[data-testid=link-chip]').length === 2`)
	fac.do("close the link picker", click(css(`[data-testid=link-done]`)))

	// Discuss: spotlight the group; the notulis records the conclusion.
	setPhase(t, fac, "discuss")
	fac.do("spotlight the group",
		click(css(`[data-testid=group] [data-testid=group-menu]`)),
		click(css(`[data-testid=target-spotlight]`)),
	)
	par.waitJS("the participant sees the spotlight", `document.querySelector('[data-testid=group].spotlight') && document.querySelector('[data-testid=banner-spotlight]')`)
	const conclusion = "Sepakat membuka antrean daring dan menambah satu loket."
	not.do("record the conclusion",
		waitVisible(css(`[data-testid=spotlight-record-input]`)),
		typeInto(css(`[data-testid=spotlight-record-input]`), conclusion),
		click(css(`[data-testid=spotlight-record-save]`)),
	)
	par.waitJS("the conclusion reaches the phone", `document.querySelector('[data-testid=group] [data-testid=record-box]')?.textContent.includes(`+js(conclusion)+`)`)
	fac.shot("05-discuss")
	par.shot("05-discuss-phone")

	// Actions: the notulis adds one; the participant sees it.
	setPhase(t, fac, "actions")
	not.waitJS("the actions tab opens by itself", `document.querySelector('[data-testid=action-form]')`)
	not.do("add an action",
		typeInto(css(`[data-testid=action-form] [data-testid=action-text-input]`), "Menyusun SOP antrean daring"),
		typeInto(css(`[data-testid=action-form] [data-testid=action-owner-input]`), "Nadia Putri"),
		setValue(css(`[data-testid=action-form] [data-testid=action-due-input]`), "2026-12-15"),
		setValue(css(`[data-testid=action-form] [data-testid=action-target-input]`), gid),
		click(css(`[data-testid=action-form] [data-testid=action-submit]`)),
	)
	par.do("open the actions tab", click(css(`[data-testid=mnav-actions]`)))
	par.waitJS("the participant sees the action", `document.querySelector('[data-testid=action] [data-testid=action-owner]')?.textContent.includes('Nadia Putri')`)
	not.do("tick it done", click(css(`[data-testid=action] [data-testid=action-done]`)))
	par.waitJS("done on the phone", `document.querySelector('[data-testid=action].done')`)
	not.shot("06-actions-notulis")
	par.shot("06-actions-phone")

	// Minutes: the notulis may fetch them; the participant may not.
	if got := evalAwait[int](not, minutesStatusJS); got != 200 {
		t.Errorf("minutes for the notulis: status %d, want 200", got)
	}
	if got := evalAwait[int](par, minutesStatusJS); got != 403 {
		t.Errorf("minutes for a participant: status %d, want 403", got)
	}
	fac.do("open the minutes dialog",
		click(css(`[data-testid=more-menu]`)),
		click(css(`[data-testid=menu-minutes]`)),
		waitVisible(css(`[data-testid=minutes-dialog]`)),
	)
	fac.shot("07-minutes-dialog")
	fac.do("download Markdown minutes",
		click(css(`[data-testid=minutes-format-md]`)),
		click(css(`[data-testid=minutes-download]`)),
	)
	fac.waitJS("the download succeeded", `document.querySelector('[data-testid=toast][data-kind=ok]') && !document.querySelector('[data-testid=minutes-dialog]')`)

	// Close the session: read-only for everyone.
	fac.do("close the session",
		click(css(`[data-testid=more-menu]`)),
		click(css(`[data-testid=menu-close-session]`)),
		waitVisible(css(`[data-testid=confirm-ok]`)),
		click(css(`[data-testid=confirm-ok]`)),
	)
	for _, b := range []*browser{fac, not, par} {
		b.waitJS("the board is read-only", `document.querySelector('[data-testid=board]').dataset.closed === 'true' && document.querySelector('[data-testid=banner-closed]')`)
		if n := count(b, `[data-testid=add-note], [data-testid=vote-plus], [data-testid=action-form]`); n != 0 {
			t.Errorf("%s: %d editing controls after close", b.name, n)
		}
	}
	fac.shot("08-closed")
	par.do("back to the board tab", click(css(`[data-testid=mnav-board]`)))
	par.shot("08-closed-phone")
	if strings.Contains(eval[string](par, `document.body.textContent`), "undefined") {
		t.Errorf("the phone shows the word undefined somewhere")
	}

	// Joining a closed session explains itself in the user's language (a
	// latecomer: this browser forgets its token, which would make the join a
	// rejoin of the facilitator).
	fac.do("open the join link",
		chromedp.Navigate(base+"/join/"+code),
		waitVisible(css(`[data-testid=join-name]`)),
	)
	eval[bool](fac, `(localStorage.clear(), true)`)
	fac.do("try to join the closed session",
		chromedp.Reload(),
		waitVisible(css(`[data-testid=join-name]`)),
		typeInto(css(`[data-testid=join-name]`), "Terlambat"),
		click(css(`[data-testid=join-submit]`)),
	)
	fac.waitJS("the closed message", `document.querySelector('[data-testid=join-error]')?.textContent === 'Sesi ini sudah ditutup.'`)
}

const minutesStatusJS = `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token; const r = await fetch('/api/sessions/' + id + '/minutes?format=md&lang=id', {headers: {Authorization: 'Bearer ' + tok}}); return r.status; })()`

// setPhase clicks a phase step and waits until the board is in it.
func setPhase(t *testing.T, b *browser, phase string) {
	t.Helper()
	b.do("phase "+phase, click(css(`[data-testid=phase-`+phase+`]`)))
	b.waitJS("phase "+phase, `document.querySelector('[data-testid=board]').dataset.phase === `+js(phase))
}
