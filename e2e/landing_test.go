package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestLandingFirstScreen: the Zona Integritas template is chosen by
// default, and "Buat sesi" is on the first screen without scrolling, on a
// laptop (1280×800) and on a phone (360×740).
func TestLandingFirstScreen(t *testing.T) {
	base := startServer(t)
	for _, size := range []struct {
		name   string
		w, h   int64
		mobile bool
	}{{"desktop-1280", 1280, 800, false}, {"phone-360", 360, 740, true}} {
		b := newBrowser(t, size.name, size.w, size.h, size.mobile)
		b.do("open the landing page", chromedp.Navigate(base+"/"), waitVisible(css(`[data-testid=template-zona-integritas]`)))
		if !eval[bool](b, `document.querySelector('[data-testid=template-zona-integritas]').checked`) {
			t.Errorf("%s: the Zona Integritas template is not the default", size.name)
		}
		if got := eval[string](b, `(() => { const r = document.querySelector('[data-testid=create-submit]').getBoundingClientRect(); return r.bottom <= innerHeight && r.top >= 0 && scrollY === 0 ? '' : 'button at ' + Math.round(r.top) + '–' + Math.round(r.bottom) + ' in a ' + innerHeight + ' px window'; })()`); got != "" {
			t.Errorf("%s: \"Buat sesi\" is not on the first screen: %s", size.name, got)
		}
		b.shot("01-first-screen-" + size.name)
	}
}
