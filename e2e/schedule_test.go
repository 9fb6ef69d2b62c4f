package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestScheduledMeeting: the landing form's date and time are read in the
// session's zone (WITA here), stored as UTC, and the minutes drafted on
// the day the board is prepared carry the meeting's own date and time.
func TestScheduledMeeting(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	fac.do("create a session scheduled at 09.00 WITA on 10 December",
		chromedp.Navigate(base+"/"),
		waitVisible(css(`[data-testid=template-masalah-inovasi]`)),
		click(css(`[data-testid=template-masalah-inovasi]`)),
		typeInto(css(`[data-testid=create-title]`), "Rapat Terjadwal"),
		typeInto(css(`[data-testid=create-name]`), "Budi Santoso"),
		click(css(`details.more > summary`)),
		waitVisible(css(`[data-testid=create-zone]`)),
		setValue(css(`[data-testid=create-zone]`), "WITA"),
		setValue(css(`[data-testid=create-when]`), "2026-12-10T09:00"),
	)
	fac.waitJS("the field's label names the zone", `document.querySelector('[data-testid=create-when]').closest('label').textContent.includes('(WITA)')`)
	fac.do("submit", click(css(`[data-testid=create-submit]`)), waitVisible(css(selBoard)))
	fac.waitJS("connected", connected)
	got := evalAwait[string](fac, `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
		const b = await (await fetch('/api/sessions/' + id + '/board', {headers: {Authorization: 'Bearer ' + tok}})).json();
		const md = await (await fetch('/api/sessions/' + id + '/minutes?format=md&lang=id', {headers: {Authorization: 'Bearer ' + tok}})).text();
		return b.session.scheduledAt + '\n' + md; })()`)
	sched, md, _ := strings.Cut(got, "\n")
	if sched != "2026-12-10T01:00:00.000Z" {
		t.Errorf("scheduledAt = %q, want 2026-12-10T01:00:00.000Z (09.00 WITA in UTC)", sched)
	}
	for _, want := range []string{"Kamis, 10 Desember 2026", "09.00 WITA s.d. selesai"} {
		if !strings.Contains(md, want) {
			t.Errorf("the minutes lack %q:\n%s", want, head([]byte(md)))
		}
	}
}
