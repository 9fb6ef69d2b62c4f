package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestJoinPageFocus: the page a QR code opens has the name field focused,
// so a phone's keyboard is ready for the one thing to type.
func TestJoinPageFocus(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Uji gabung", "Budi Santoso")
	par := newBrowser(t, "participant", 360, 740, true)
	par.do("open the join link", chromedp.Navigate(base+"/join/"+code), waitVisible(css(`[data-testid=join-name]`)))
	par.waitJS("the name field has the focus", `document.activeElement?.dataset.testid === 'join-name'`)
	par.shot("01-join-focused")
}
