package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMinutesDialogSessionLanguage (issue 10): the download dialog offers
// the minutes in the session's language, whatever language the page is
// shown in; the file is named in that language.
func TestMinutesDialogSessionLanguage(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, base, "Rapat Bahasa Notulen", "Budi Santoso") // an Indonesian page makes an Indonesian session
	if got := eval[string](fac, `document.documentElement.lang`); got != "id" {
		t.Fatalf("the page starts in %q, want id", got)
	}
	fac.do("show the page in English", click(css(`[data-testid=lang-toggle]`)))
	fac.waitJS("the page is in English", `document.documentElement.lang === 'en'`)

	dl := allowDownloads(t, fac)
	fac.do("open the minutes dialog",
		click(css(`[data-testid=more-menu]`)),
		click(css(`[data-testid=menu-minutes]`)),
		waitVisible(css(`[data-testid=minutes-dialog]`)),
	)
	if id, en := eval[bool](fac, `document.querySelector('[data-testid=minutes-lang-id]').checked`),
		eval[bool](fac, `document.querySelector('[data-testid=minutes-lang-en]').checked`); !id || en {
		t.Errorf("the dialog's language: id checked %v, en checked %v; want the session's (id)", id, en)
	}
	fac.shot("00-minutes-dialog-session-language")
	fac.do("download with the defaults",
		click(css(`[data-testid=minutes-format-md]`)),
		click(css(`[data-testid=minutes-download]`)),
		waitGone(css(`[data-testid=minutes-dialog]`)),
	)
	name, body := dl.next(t, "md")
	if !strings.HasPrefix(name, "notulen-rapat-bahasa-notulen-") || !strings.HasSuffix(name, "-id.md") {
		t.Errorf("the file is named %q, want notulen-rapat-bahasa-notulen-<day>-id.md", name)
	}
	if !strings.HasPrefix(string(body), "# Notulen") {
		t.Errorf("the minutes are not Indonesian: %q", head(body))
	}
}

// TestLandingSignatureFields (issue 10): the landing form's city and
// "Mengetahui" fields reach the minutes' signature block; an official
// without a position is caught on the form, before the server refuses it.
func TestLandingSignatureFields(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 360, 740, true)
	fac.do("fill the form with an official but no position",
		chromedp.Navigate(base+"/"),
		waitVisible(css(`[data-testid=template-masalah-inovasi]`)),
		typeInto(css(`[data-testid=create-title]`), "Rapat Tanda Tangan"),
		typeInto(css(`[data-testid=create-name]`), "Budi Santoso"),
		click(css(`details.more > summary`)),
		waitVisible(css(`[data-testid=create-city]`)),
		typeInto(css(`[data-testid=create-city]`), "Jakarta"),
		typeInto(css(`[data-testid=create-ack-name]`), "Dr. Ahmad Fauzi"),
		typeInto(css(`[data-testid=create-ack-nip]`), "19780101 200501 1 001"),
		click(css(`[data-testid=create-submit]`)),
	)
	fac.waitJS("the position is asked for", `document.querySelector('[data-testid=create-ack-title]').validationMessage !== '' && location.pathname === '/'`)
	fac.shot("00-landing-signature-fields")
	fac.do("give the position and create",
		typeInto(css(`[data-testid=create-ack-title]`), "Kepala Balai Pelayanan"),
		click(css(`[data-testid=create-submit]`)),
		waitVisible(css(selBoard)),
	)
	fac.waitJS("connected", connected)
	md := evalAwait[string](fac, `(async () => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token; const r = await fetch('/api/sessions/' + id + '/minutes?format=md', {headers: {Authorization: 'Bearer ' + tok}}); return r.text(); })()`)
	at := 0
	for _, want := range []string{"Jakarta, ", "Mengetahui,", "Kepala Balai Pelayanan,", "**Dr. Ahmad Fauzi**", "NIP. 19780101 200501 1 001", "Pimpinan Rapat,"} {
		i := strings.Index(md[at:], want)
		if i < 0 {
			t.Fatalf("the minutes lack %q (in order):\n%s", want, md)
		}
		at += i + len(want)
	}
	if !regexp.MustCompile(`Jakarta, \d{1,2} \w+ \d{4}\n`).MatchString(md) {
		t.Errorf("no place-and-date line in:\n%s", md)
	}
}
