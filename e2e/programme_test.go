package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestProgrammeRegister: a programme is created on /p; two sessions are
// created inside it from its page, the second a monitoring session; in
// that one the facilitator closes the action agreed in the first, and the
// programme page's register shows it as selesai, on a desktop and on a
// 360-px phone opening the same programme link.
func TestProgrammeRegister(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, "manager", 1280, 900, false)
	b.do("open the programme form", chromedp.Navigate(base+"/p"), waitVisible(css(`[data-testid=prog-form]`)))
	if os.Getenv("REMBUK_AXE") != "" {
		axeCheck(t, b, axeSource(t), "the programme form at 1280")
	}
	b.do("create a programme",
		typeInto(css(`[data-testid=prog-unit]`), "BP3KP Jawa I"),
		setValue(css(`[data-testid=prog-target]`), "WBBM"),
		typeInto(css(`[data-testid=prog-instansi]`), "Kementerian Perumahan dan Kawasan Permukiman"),
		typeInto(css(`[data-testid=prog-chairName]`), "Dr. Ahmad Fauzi"),
		typeInto(css(`[data-testid=prog-chairNip]`), "197801012005011001"),
		click(css(`[data-testid=prog-submit]`)),
		waitVisible(css(`[data-testid=prog-title]`)),
	)
	b.waitJS("the header", `document.querySelector('[data-testid=prog-title]').textContent.includes('BP3KP Jawa I') && document.querySelector('[data-testid=prog-kop]').textContent.includes('Kementerian')`)
	link := eval[string](b, `document.querySelector('[data-testid=prog-link]').value`)
	if !strings.Contains(link, "/p/") || !strings.Contains(link, "#") {
		t.Fatalf("programme link %q holds no key fragment", link)
	}
	b.shot("01-programme-new")

	b.do("create the first session in it",
		typeInto(css(`[data-testid=prog-session-title]`), "Rapat TPI Triwulan I"),
		setValue(css(`[data-testid=prog-session-template]`), "zona-integritas"),
		typeInto(css(`[data-testid=prog-session-name]`), "Sari Fasilitator"),
		click(css(`[data-testid=prog-session-submit]`)),
		waitVisible(css(selBoard)),
	)
	b.waitJS("connected", connected)
	b.do("add an action",
		click(css(`[data-testid=tab-actions]`)),
		waitVisible(css(`[data-testid=action-form]`)),
		typeInto(css(`[data-testid=action-form] [data-testid=action-text-input]`), "Sosialisasi pengendalian gratifikasi"),
		typeInto(css(`[data-testid=action-form] [data-testid=action-owner-input]`), "Budi Santoso"),
		setValue(css(`[data-testid=action-form] [data-testid=action-due-input]`), "2026-01-15"),
		click(css(`[data-testid=action-form] [data-testid=action-submit]`)),
	)
	b.waitJS("the action is stored", `document.querySelector('[data-testid=action] [data-testid=action-status-badge]')?.dataset.status === 'belum'`)

	b.do("back to the programme", chromedp.Navigate(link), waitVisible(css(`[data-testid=register-item]`)))
	b.waitJS("open and overdue in the register", `document.querySelector('[data-testid=register-item]').dataset.status === 'belum' && !!document.querySelector('[data-testid=register-overdue]')`)
	b.do("create the monitoring session",
		typeInto(css(`[data-testid=prog-session-title]`), "Monitoring Rencana Aksi Triwulan II"),
		setValue(css(`[data-testid=prog-session-template]`), "monitoring-rencana-aksi"),
		click(css(`[data-testid=prog-session-submit]`)),
		waitVisible(css(selBoard)),
	)
	b.waitJS("connected", connected)
	b.do("open its actions", click(css(`[data-testid=tab-actions]`)))
	b.waitJS("the open action is on the monitoring board", `document.querySelector('[data-testid=action] [data-testid=action-origin]')?.textContent.includes('Rapat TPI Triwulan I')`)
	b.do("close it", setValue(css(`[data-testid=action] [data-testid=action-status]`), "selesai"))
	b.waitJS("selesai on the board", `document.querySelector('[data-testid=action] [data-testid=action-status-badge]')?.dataset.status === 'selesai'`)
	b.shot("02-monitoring-board")
	if os.Getenv("REMBUK_AXE") != "" {
		axeCheck(t, b, axeSource(t), "the monitoring board's actions at 1280")
	}

	b.do("the programme page again", chromedp.Navigate(link), waitVisible(css(`[data-testid=register-item]`)))
	b.waitJS("selesai in the register", `document.querySelector('[data-testid=register-item]').dataset.status === 'selesai' && !document.querySelector('[data-testid=register-overdue]')`)
	if n := count(b, `[data-testid=prog-session]`); n != 2 {
		t.Errorf("the programme lists %d sessions, want 2", n)
	}
	if got := eval[string](b, `document.querySelector('[data-testid=register-item] [data-testid=register-status]').textContent`); got != "Selesai" {
		t.Errorf("status shown %q, want Selesai", got)
	}
	if !eval[bool](b, `document.querySelector('[data-testid=register-item]').textContent.includes('Monitoring Rencana Aksi Triwulan II')`) {
		t.Error("the register does not name the monitoring session as the status's source")
	}
	b.shot("03-register-desktop")

	phone := newBrowser(t, "phone", 360, 740, true)
	phone.do("open the programme link on a phone", chromedp.Navigate(link), waitVisible(css(`[data-testid=register-item]`)))
	phone.waitJS("selesai on the phone", `document.querySelector('[data-testid=register-item]').dataset.status === 'selesai'`)
	phone.do("scroll to the register", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=register]').scrollIntoView()`))
	phone.shot("04-register-phone")
	// axe-core, when it is installed (REMBUK_AXE): the programme page on
	// both screens, and the monitoring board's actions.
	if os.Getenv("REMBUK_AXE") != "" {
		src := axeSource(t)
		axeCheck(t, b, src, "the programme page at 1280")
		axeCheck(t, phone, src, "the programme page at 360")
	}
	// Keyboard: the session form is reachable and usable by Tab alone.
	if !eval[bool](phone, `(() => { const f = document.querySelector('[data-testid=prog-session-title]'); f.focus(); return document.activeElement === f; })()`) {
		t.Error("the session title field takes no focus")
	}
	// A wrong key is refused with a clear message.
	bad := strings.SplitN(link, "#", 2)[0] + "#bukan-kunci"
	phone.do("a wrong key", chromedp.Navigate(bad), chromedp.Reload(), waitVisible(css(`[data-testid=prog-page-error]`)))
}
