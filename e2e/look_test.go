package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTemplateLook opens the seven-column Zona Integritas template on a
// desktop and on a phone (facilitator), for the screenshots and the
// overflow check.
func TestTemplateLook(t *testing.T) {
	base := startServer(t)
	for _, vp := range []struct {
		name   string
		w, h   int64
		mobile bool
	}{{"desktop", 1280, 800, false}, {"phone", 360, 740, true}} {
		b := newBrowser(t, vp.name, vp.w, vp.h, vp.mobile)
		b.do("create a Zona Integritas session",
			chromedp.Navigate(base+"/"),
			waitVisible(css(`[data-testid=template-zona-integritas]`)),
			click(css(`[data-testid=template-zona-integritas]`)),
			typeInto(css(`[data-testid=create-title]`), "Pembangunan Zona Integritas menuju WBK"),
			typeInto(css(`[data-testid=create-name]`), "Budi Santoso"),
			click(css(`[data-testid=create-submit]`)),
			waitVisible(css(selBoard)),
		)
		b.waitJS("connected", connected)
		if n := count(b, `[data-testid=column]`); n != 7 {
			t.Errorf("%s: %d columns, want 7", vp.name, n)
		}
		addNote(t, b, 1, "Agen perubahan belum ditetapkan dengan SK")
		b.waitJS("note", noteShown("Agen perubahan belum ditetapkan dengan SK"))
		b.shot(vp.name + "-01-zona-integritas")
		b.do("open the more menu", click(css(`[data-testid=more-menu]`)), waitVisible(css(`[data-testid=more-menu-list]`)))
		time.Sleep(300 * time.Millisecond) // let the sheet finish sliding in
		b.shot(vp.name + "-02-more-menu")
		b.do("open the timer", click(css(`[data-testid=menu-timer]`)), waitVisible(css(`[data-testid=timer-dialog]`)))
		b.shot(vp.name + "-03-timer-dialog")
	}
}
