package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// setOffline cuts (or restores) the browser's network the way DevTools'
// "Offline" does: every request fails, the service worker's too, and
// navigator.onLine follows.
func (b *browser) setOffline(off bool) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		b.t.Fatalf("%s: network.enable: %v", b.name, err)
	}
	rule := &network.Conditions{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: []*network.Conditions{rule},
	}); err != nil {
		b.t.Fatalf("%s: emulating the network offline=%v: %v", b.name, off, err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		b.t.Fatalf("%s: navigator.onLine=%v: %v", b.name, !off, err)
	}
}

// TestOfflineReload: a participant's phone loses its network, writes a
// note (it waits in the outbox), and reloads: the service worker serves
// the page, which shows the board as last seen with the waiting note —
// not the browser's error page. Back online, the note goes out once.
func TestOfflineReload(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Rapat di balai desa", "Budi Santoso")
	par := newBrowser(t, "participant", 360, 740, true)
	joinSession(t, par, base, code, "Sari Dewi")
	par.waitJS("the service worker controls the page", `!!navigator.serviceWorker && !!navigator.serviceWorker.controller`)

	const before, offline = "Ditulis saat masih daring", "Ditulis tanpa sinyal"
	addNote(t, par, 1, before)
	par.waitJS("the first note is acked", noteShown(before)+` && !document.querySelector('[data-testid=note][data-pending]')`)

	par.setOffline(true)
	par.waitJS("the page knows it is offline", `document.querySelector('[data-testid=conn-status]').dataset.status !== 'connected'`)
	addNote(t, par, 1, offline)
	par.waitJS("the note waits in the outbox", `[...document.querySelectorAll('[data-testid=note][data-pending] [data-testid=note-text]')].some(e => e.textContent === `+js(offline)+`)`)

	// Record what the welcomes after the reload carry: the kept board is
	// the state at its seq, so the page resumes from it (events), not a
	// whole new board.
	const spy = `(() => { const WS = window.WebSocket; window.__welcomes = []; window.WebSocket = class extends WS {
		constructor(...a) { super(...a); this.addEventListener('message', (e) => { try { const m = JSON.parse(e.data);
			if (m.type === 'welcome') window.__welcomes.push(m.board ? 'board' : 'events'); } catch (_) {} }); } }; })()`
	if _, err := chromedp.Call(par.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: spy}); err != nil {
		t.Fatalf("installing the welcome spy: %v", err)
	}
	par.do("reload without a network", chromedp.Reload(), waitVisible(css(selBoard)))
	par.waitJS("the board as last seen and the waiting note", noteShown(before)+
		` && [...document.querySelectorAll('[data-testid=note][data-pending] [data-testid=note-text]')].some(e => e.textContent === `+js(offline)+`)`+
		` && !!document.querySelector('[data-testid=outbox-count]')`)
	if got := eval[string](par, `document.querySelector('[data-testid=session-title]')?.textContent || ''`); got != "Rapat di balai desa" {
		t.Errorf("session title after the offline reload = %q", got)
	}
	par.shot("01-offline-reload")

	par.setOffline(false)
	par.waitJS("back online, the waiting note is acked", connected+` && `+noteShown(offline)+` && !document.querySelector('[data-testid=note][data-pending]')`)
	fac.waitJS("the facilitator sees both notes", noteShown(before)+` && `+noteShown(offline))
	if got := eval[string](par, `window.__welcomes.join(',')`); got == "" || strings.HasPrefix(got, "board") {
		t.Errorf("welcomes after the reload = %q, want a resume (events) first", got)
	}
	for _, b := range []*browser{fac, par} {
		if n := eval[int](b, `[...document.querySelectorAll('[data-testid=note-text]')].filter(e => e.textContent === `+js(offline)+`).length`); n != 1 {
			t.Errorf("%s: the offline note shows %d times, want once", b.name, n)
		}
	}
	par.shot("02-back-online")
}
