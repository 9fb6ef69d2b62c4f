package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// qrData is a JS expression: the text the invite's QR code holds.
const qrData = `new URL(document.querySelector('[data-testid=join-qr]').src).searchParams.get('data')`

// stubClipboard makes "Salin tautan" record what it copies.
const stubClipboard = `(Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {writeText: async (s) => { window.__copied = s; }}}), true)`

// TestJoinLinkFromLocalhost: a facilitator on http://127.0.0.1 gets a QR
// code, a copied link and a projector address on this machine's LAN
// address, is told why, and can pick between two addresses.
func TestJoinLinkFromLocalhost(t *testing.T) {
	srv := newServer(t, "-lan-addrs", "192.0.2.10,192.0.2.11")
	port := srv.addr[strings.LastIndex(srv.addr, ":")+1:]
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, srv.url, "Uji tautan", "Budi Santoso")
	want := "http://192.0.2.10:" + port + "/join/" + code
	fac.waitJS("the QR holds the LAN link", qrData+` === `+js(want))
	fac.waitJS("the page says why", `document.querySelector('[data-testid=invite-lan]')?.textContent.includes('127.0.0.1')`)
	if got := eval[string](fac, `document.querySelector('[data-testid=invite-url]').textContent`); got != "192.0.2.10:"+port+"/join/"+code {
		t.Errorf("invite address %q", got)
	}
	eval[bool](fac, stubClipboard)
	fac.do("copy the link", click(css(`[data-testid=copy-link]`)))
	fac.waitJS("the copied link is the LAN one", `window.__copied === `+js(want))
	fac.shot("01-invite-lan")

	fac.do("pick the second address", setValue(css(`[data-testid=invite-lan-pick]`), "http://192.0.2.11:"+port))
	want2 := "http://192.0.2.11:" + port + "/join/" + code
	fac.waitJS("the QR follows the choice", qrData+` === `+js(want2))
	fac.do("open the projector", click(css(`[data-testid=projector-toggle]`)), waitVisible(css(`[data-testid=projector]`)))
	if got := eval[string](fac, `document.querySelector('[data-testid=projector-url]').textContent`); got != "192.0.2.11:"+port+"/join" {
		t.Errorf("projector address %q", got)
	}
	if got := eval[string](fac, `new URL(document.querySelector('.projector-qr').src).searchParams.get('data')`); got != want2 {
		t.Errorf("projector QR %q, want %q", got, want2)
	}
	fac.shot("02-projector-lan")
	fac.do("close the projector", chromedp.KeyEvent("\x1b"), waitGone(css(`[data-testid=projector]`)))
	fac.do("reload", chromedp.Reload(), waitVisible(css(selBoard)))
	fac.waitJS("the choice is remembered", qrData+` === `+js(want2))
}

// TestJoinLinkPublicURL: -public-url sets the link outright, and a server
// reachable only on loopback says phones cannot reach it.
func TestJoinLinkPublicURL(t *testing.T) {
	srv := newServer(t, "-public-url", "https://rembuk.example.go.id/")
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, srv.url, "Uji tautan", "Budi Santoso")
	fac.waitJS("the QR holds the public link", qrData+` === `+js("https://rembuk.example.go.id/join/"+code))
	if n := count(fac, `[data-testid=invite-lan], [data-testid=invite-unreachable]`); n != 0 {
		t.Errorf("%d reach notes beside a public URL", n)
	}

	plain := newServer(t)
	code = createSession(t, fac, plain.url, "Uji tautan", "Budi Santoso")
	fac.waitJS("the page warns that phones cannot open this", `document.querySelector('[data-testid=invite-unreachable]')`)
	u, err := url.Parse(eval[string](fac, qrData))
	if err != nil || u.Path != "/join/"+code {
		t.Errorf("QR %v %v", u, err)
	}
	fac.shot("01-invite-unreachable")
}
