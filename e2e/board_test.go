package e2e

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const (
	selCreateForm = `[data-testid=create-form]`
	selBoard      = `[data-testid=board]`
	xssText       = `<img src=x onerror=alert(1)>`
)

// watchDialogs counts the JavaScript dialogs (alert, confirm) a page opens
// and dismisses them, so an injected alert() is caught, not hung on.
func watchDialogs(b *browser, n *atomic.Int32) {
	events := chromedp.Events(b.ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range events {
			if err != nil {
				return
			}
			n.Add(1)
			_, _ = chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
}

// connected is true when the board's connection indicator says so.
const connected = `document.querySelector('[data-testid=conn-status]')?.dataset.status === 'connected'`

// noteShown is a JS expression: a settled (acked) note with exactly this text is on the board.
func noteShown(text string) string {
	return `[...document.querySelectorAll('[data-testid=note]:not([data-pending]) [data-testid=note-text]')].some(e => e.textContent === ` + js(text) + `)`
}

func TestLiveBoard(t *testing.T) {
	for _, vp := range []struct {
		name   string
		w, h   int64
		mobile bool
	}{
		{"desktop-1280", 1280, 800, false},
		{"phone-360", 360, 740, true},
	} {
		t.Run(vp.name, func(t *testing.T) {
			liveBoard(t, vp.w, vp.h, vp.mobile)
		})
	}
}

// liveBoard: the facilitator creates a session in one browser, a
// participant joins by code in another, adds notes, and the facilitator
// sees them live; a note that looks like HTML stays text.
func liveBoard(t *testing.T, w, h int64, mobile bool) {
	base := startServer(t)
	var dialogs atomic.Int32

	fac := newBrowser(t, "facilitator", w, h, mobile)
	watchDialogs(fac, &dialogs)
	fac.do("open the landing page",
		chromedp.Navigate(base+"/"),
		waitVisible(chromedp.CSS(selCreateForm)),
		waitVisible(chromedp.CSS(`[data-testid=template-masalah-inovasi]`)),
		click(chromedp.CSS(`[data-testid=template-masalah-inovasi]`)),
	)
	fac.shot("01-landing")
	fac.do("create a session",
		typeInto(chromedp.CSS(`[data-testid=create-title]`), "Pemetaan Masalah Pelayanan Publik"),
		typeInto(chromedp.CSS(`[data-testid=create-name]`), "Budi Santoso"),
		click(chromedp.CSS(`[data-testid=create-submit]`)),
		waitVisible(chromedp.CSS(selBoard)),
	)
	fac.waitJS("the facilitator is connected", connected)
	fac.waitJS("three template columns", `document.querySelectorAll('[data-testid=column]').length === 3`)
	code := eval[string](fac, `document.querySelector('[data-testid=topbar-code] span').textContent`)
	if len(code) < 4 {
		t.Fatalf("join code = %q", code)
	}
	if role := eval[string](fac, `document.querySelector('[data-testid=board]').dataset.role`); role != "facilitator" {
		t.Fatalf("creator's role = %q, want facilitator", role)
	}
	if !mobile {
		fac.waitJS("the join code in large type", `document.querySelector('[data-testid=join-code]')?.textContent === `+js(code))
		fac.waitJS("the QR code image loaded", `(() => { const i = document.querySelector('[data-testid=join-qr]'); return i && i.complete && i.naturalWidth > 0; })()`)
	}
	fac.shot("02-facilitator-empty-board")

	part := newBrowser(t, "participant", w, h, mobile)
	watchDialogs(part, &dialogs)
	part.do("join by code",
		chromedp.Navigate(base+"/"),
		waitVisible(chromedp.CSS(`[data-testid=join-code-input]`)),
		typeInto(chromedp.CSS(`[data-testid=join-code-input]`), code),
		typeInto(chromedp.CSS(`[data-testid=join-name]`), "Sari Dewi"),
		typeInto(chromedp.CSS(`[data-testid=join-unit]`), "Bagian Umum"),
		click(chromedp.CSS(`[data-testid=join-submit]`)),
		waitVisible(chromedp.CSS(selBoard)),
	)
	part.waitJS("the participant is connected", connected)
	if role := eval[string](part, `document.querySelector('[data-testid=board]').dataset.role`); role != "participant" {
		t.Fatalf("joiner's role = %q, want participant", role)
	}

	const first = "Antrean layanan di loket terlalu panjang pada pagi hari"
	part.do("add a note",
		click(chromedp.CSS(`[data-testid=column] [data-testid=add-note]`)),
		waitVisible(chromedp.CSS(`[data-testid=note-input]`)),
		typeInto(chromedp.CSS(`[data-testid=note-input]`), first),
		click(chromedp.CSS(`[data-testid=note-submit]`)),
	)
	part.waitJS("the participant's note is acked", noteShown(first))
	fac.waitJS("the facilitator sees the participant's note", noteShown(first))
	if got := eval[string](fac, `document.querySelector('[data-testid=note] [data-testid=note-author]').textContent`); got != "Sari Dewi" {
		t.Errorf("author shown to the facilitator = %q, want Sari Dewi", got)
	}

	part.do("add a note that looks like HTML",
		typeInto(chromedp.CSS(`[data-testid=note-input]`), xssText),
		click(chromedp.CSS(`[data-testid=note-submit]`)),
	)
	part.waitJS("the HTML-looking note shows as text", noteShown(xssText))
	fac.waitJS("the facilitator sees it as text", noteShown(xssText))
	for _, b := range []*browser{fac, part} {
		if n := eval[int](b, `document.querySelectorAll('[data-testid=board] img[src="x"], [data-testid=note] img').length`); n != 0 {
			t.Errorf("%s: %d <img> elements made from note text", b.name, n)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened, want none", n)
	}

	// An open editor survives live updates: half-typed text and focus stay.
	part.do("type without posting", typeInto(chromedp.CSS(`[data-testid=note-input]`), "setengah ditulis"))
	addNote(t, fac, 1, "Catatan fasilitator")
	part.waitJS("the facilitator's note arrives", noteShown("Catatan fasilitator"))
	fac.do("turn the private brainstorm on (a banner appears)",
		click(chromedp.CSS(`[data-testid=more-menu]`)),
		click(chromedp.CSS(`[data-testid=menu-settings], [data-testid=menu-timer]`)),
	)
	if eval[bool](fac, `!!document.querySelector('[data-testid=settings-dialog]')`) {
		fac.do("toggle private", click(chromedp.CSS(`[data-testid=setting-private-input]`)), click(chromedp.CSS(`[data-testid=settings-done]`)))
	} else {
		fac.do("close the timer dialog", click(chromedp.CSS(`[data-testid=dialog-close]`)))
		fac.do("toggle private",
			click(chromedp.CSS(`[data-testid=open-settings]`)),
			click(chromedp.CSS(`[data-testid=setting-private-input]`)),
			click(chromedp.CSS(`[data-testid=settings-done]`)))
	}
	part.waitJS("the banner reaches the participant", `document.querySelector('[data-testid=banner-private]')`)
	part.waitJS("the half-typed text and the focus are kept",
		`document.activeElement?.dataset.testid === 'note-input' && document.activeElement.value === 'setengah ditulis'`)
	part.shot("04b-editor-kept")

	if mobile {
		fac.do("open the people tab", click(chromedp.CSS(`[data-testid=mnav-people]`)))
	}
	fac.waitJS("the facilitator sees the participant online",
		`document.querySelectorAll('[data-testid=participant][data-online=true]').length === 2`)
	fac.shot("03-facilitator-people")
	if mobile {
		fac.do("back to the board", click(chromedp.CSS(`[data-testid=mnav-board]`)))
	}
	fac.shot("04-facilitator-sees-notes")
	part.shot("05-participant-board")

	fac.do("open the projector view",
		click(chromedp.CSS(`[data-testid=topbar-code]`)),
		waitVisible(chromedp.CSS(`[data-testid=projector]`)),
	)
	fac.waitJS("the projector shows the code", `document.querySelector('[data-testid=projector-code]').textContent === `+js(code))
	fac.shot("06-projector")
	fac.do("close the projector with Escape",
		chromedp.KeyEvent("\x1b"),
		waitGone(chromedp.CSS(`[data-testid=projector]`)),
	)
}
