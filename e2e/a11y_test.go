package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// contrastJS is a JS function: the contrast ratio of an element's text
// against the first opaque background behind it.
const contrastJS = `((e) => {
	const rgb = (s) => s.match(/[\d.]+/g).map(Number);
	const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
	let bg = null;
	for (let n = e; n && !bg; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor); if (c.length < 4 || c[3] === 1) { if (c.length >= 3 && !(c.length === 4 && c[3] === 0)) bg = c; } }
	const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg || [255, 255, 255]);
	return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
})`

// TestAccessibilityFindings checks the axe-core and Lighthouse findings of
// issue 10 where they live: the phone's column buttons are no tablist of
// non-tabs, the language button's name holds its visible "EN", the brand
// link is named "Rembuk", a scrolling phase bar takes the keyboard's focus,
// and the template column counts, the empty-column text and the composer hint reach 4.5:1.
func TestAccessibilityFindings(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	fac.do("open the landing page", chromedp.Navigate(base+"/"), waitVisible(css(`[data-testid=template-masalah-inovasi]`)))
	fac.do("choose a template", click(css(`[data-testid=template-masalah-inovasi]`)))
	for _, sel := range []string{`.tpl.on .tpl-cols`, `.tpl:not(.on) .tpl-cols`} {
		if c := eval[float64](fac, contrastJS+`(document.querySelector(`+js(sel)+`))`); c < 4.5 {
			t.Errorf("%s contrast %.2f, want ≥ 4.5", sel, c)
		}
	}
	code := createSession(t, fac, base, "Uji aksesibilitas", "Budi Santoso")
	if c := eval[float64](fac, contrastJS+`(document.querySelector('.lane-empty'))`); c < 4.5 {
		t.Errorf(".lane-empty contrast %.2f, want ≥ 4.5", c)
	}
	fac.do("open a composer", click(css(col(1)+` [data-testid=add-note]`)), waitVisible(css(`[data-testid=composer] .composer-hint`)))
	if c := eval[float64](fac, contrastJS+`(document.querySelector('[data-testid=composer] .composer-hint'))`); c < 4.5 {
		t.Errorf(".composer-hint contrast %.2f on the note colour, want ≥ 4.5", c)
	}

	par := newBrowser(t, "participant", 360, 740, true)
	joinSession(t, par, base, code, "Sari Dewi")
	for _, b := range []*browser{fac, par} {
		if got := eval[string](b, `(() => { const e = document.querySelector('[data-testid=lang-toggle]'); const name = e.getAttribute('aria-label') || e.textContent; return name.includes(e.textContent.trim()) ? '' : name + ' / ' + e.textContent; })()`); got != "" {
			t.Errorf("%s: the language button's name lacks its visible text: %s", b.name, got)
		}
		if got := eval[string](b, `(() => { const a = document.querySelector('.topbar .brand'); return a.getAttribute('aria-label') || [...a.childNodes].filter(n => !(n.nodeType === 1 && n.getAttribute('aria-hidden') === 'true')).map(n => n.textContent).join('').trim(); })()`); got != "Rembuk" {
			t.Errorf("%s: the brand link is named %q, want Rembuk", b.name, got)
		}
	}
	if got := eval[string](par, `(() => { const l = document.querySelector('.lane-tabs'); if (!l) return 'no .lane-tabs'; return l.getAttribute('role') === 'tablist' && [...l.children].some(c => c.getAttribute('role') !== 'tab') ? 'a tablist with non-tab children' : ''; })()`); got != "" {
		t.Errorf("phone column buttons: %s", got)
	}
	par.waitJS("the phase bar scrolls on the phone", `(() => { const p = document.querySelector('.phases'); return p.scrollWidth > p.clientWidth; })()`)
	par.waitJS("and takes the keyboard's focus", `document.querySelector('.phases').tabIndex === 0`)
	if fac.waitJS("connected", connected); eval[bool](fac, `document.querySelector('.phases').scrollWidth <= document.querySelector('.phases').clientWidth && document.querySelector('.phases').hasAttribute('tabindex')`) {
		t.Errorf("a phase bar that does not scroll is a tab stop on the desktop")
	}
}
