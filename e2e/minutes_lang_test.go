package e2e

import (
	"strings"
	"testing"
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
