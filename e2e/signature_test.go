package e2e

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSignAttendanceOnPhone (issue 14): the facilitator asks everyone to
// sign; on a 360-px touch phone the pad opens by itself, the participant
// adds NIP and jabatan and draws a signature with a finger (touch events)
// and a second stroke with the mouse; the facilitator sees the tick, and
// the minutes' HTML carries the drawn path and the PDF the NIP, jabatan and
// the strokes.
func TestSignAttendanceOnPhone(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	code := createSession(t, fac, base, "Rapat Evaluasi ZI", "Budi Santoso")
	par := newBrowser(t, "participant", 360, 740, true)
	par.do("a touch screen", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
	joinSession(t, par, base, code, "Sari Dewi")

	fac.do("ask everyone to sign", click(css(`[data-testid=attendance-request]`)))
	par.do("the pad opens by itself", waitVisible(css(`[data-testid=sign-dialog] [data-testid=sign-pad]`)))
	if got := eval[string](par, `(() => { const d = document.querySelector('[data-testid=sign-dialog]').getBoundingClientRect(); const c = document.querySelector('[data-testid=sign-pad]');
		const r = c.getBoundingClientRect();
		return d.left >= 0 && d.right <= innerWidth && r.width >= 250 && Math.abs(r.width / r.height - 3) < 0.1 && getComputedStyle(c).touchAction === 'none' ? '' : 'dialog ' + d.left + '–' + d.right + ', pad ' + r.width + '×' + r.height + ', touch-action ' + getComputedStyle(c).touchAction; })()`); got != "" {
		t.Fatalf("the pad does not fit a 360-px phone: %s", got)
	}
	par.shot("00-sign-pad")
	if os.Getenv("REMBUK_AXE") != "" {
		axeCheck(t, par, axeSource(t), "the signature pad on a phone")
	}
	par.do("NIP and jabatan", typeInto(css(`[data-testid=sign-nip]`), "19850312 201001 2 004"), typeInto(css(`[data-testid=sign-jabatan]`), "Analis Pelayanan"))

	drawSignature(t, par) // a finger draws a zigzag, the mouse (or a pen) underlines it
	par.shot("01-signed")
	par.do("save", click(css(`[data-testid=sign-save]`)), waitGone(css(`[data-testid=sign-dialog]`)))

	fac.waitJS("the facilitator sees the tick", `document.querySelectorAll('[data-testid=signed-tick]').length === 1`)
	const fetchMinutes = `(async (f) => { const id = location.pathname.split('/')[2]; const tok = JSON.parse(localStorage.getItem('rembuk:session:' + id)).token;
		const r = await fetch('/api/sessions/' + id + '/minutes?lang=id&format=' + f, {headers: {Authorization: 'Bearer ' + tok}});
		const b = new Uint8Array(await r.arrayBuffer()); let s = ''; for (const x of b) s += String.fromCharCode(x); return btoa(s); })`
	get := func(format string) []byte {
		b, err := base64.StdEncoding.DecodeString(evalAwait[string](fac, fetchMinutes+`(`+js(format)+`)`))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	html := string(get("html"))
	if !strings.Contains(html, `<svg class="signature" viewBox="0 0 300 100"`) || !strings.Contains(html, `<path d="M`) || strings.Count(html, "M") < 2 {
		t.Errorf("the minutes' HTML lacks the drawn signature")
	}
	for _, want := range []string{"19850312 201001 2 004", "Analis Pelayanan"} {
		if !strings.Contains(html, want) {
			t.Errorf("the minutes' HTML lacks %q", want)
		}
	}
	pdf := get("pdf")
	if n := strings.Count(string(pdf), " l S"); n < 10 {
		t.Errorf("the minutes' PDF draws %d lines, want the signature's strokes", n)
	}
	if tool, err := exec.LookPath("pdftotext"); err == nil {
		p := filepath.Join(t.TempDir(), "notulen.pdf")
		if err := os.WriteFile(p, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(tool, "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"DAFTAR HADIR", "Tanda", "Sari Dewi", "19850312", "Analis"} {
			if !strings.Contains(text, want) {
				t.Errorf("pdftotext of the minutes lacks %q", want)
			}
		}
	}
}
