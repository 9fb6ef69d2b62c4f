package e2e

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource reads axe-core's axe.min.js from REMBUK_AXE (.ci/run installs
// the npm package axe-core and sets it), or skips — fails when
// REMBUK_REQUIRE_TOOLS=1 or REMBUK_REQUIRE_BROWSER=1.
func axeSource(t *testing.T) string {
	t.Helper()
	p := os.Getenv("REMBUK_AXE")
	if p != "" {
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	if os.Getenv("REMBUK_REQUIRE_TOOLS") == "1" || os.Getenv("REMBUK_REQUIRE_BROWSER") == "1" {
		t.Fatalf("axe-core not found (REMBUK_AXE=%q); `npm install axe-core` and point REMBUK_AXE at node_modules/axe-core/axe.min.js", p)
	}
	t.Skip("axe-core not found: set REMBUK_AXE to node_modules/axe-core/axe.min.js (REMBUK_REQUIRE_TOOLS=1 makes this a failure)")
	return ""
}

// axeViolation is one rule axe-core found broken, with where.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeCheck runs axe-core on the page as it is now and fails the test for
// each serious or critical violation; lesser ones are logged.
func axeCheck(t *testing.T, b *browser, src, where string) {
	t.Helper()
	if !eval[bool](b, `typeof axe !== 'undefined'`) {
		eval[bool](b, src+";\ntrue")
	}
	raw := evalAwait[string](b, `axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("%s: axe result: %v", where, err)
	}
	for _, v := range vs {
		msg := where + ": " + v.Impact + " " + v.ID + " (" + v.Help + ") at " + strings.Join(v.Nodes, " | ")
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// TestAccessibilityAxe: axe-core finds no serious or critical violation on
// the landing page (1280 and 360 wide), the join page (phone), and the
// board of a facilitator (1280) and of a participant (phone) holding a note.
func TestAccessibilityAxe(t *testing.T) {
	src := axeSource(t)
	base := startServer(t)

	fac := newBrowser(t, "facilitator", 1280, 800, false)
	fac.do("open the landing page", chromedp.Navigate(base+"/"), waitVisible(css(`[data-testid=create-submit]`)))
	axeCheck(t, fac, src, "landing 1280")
	code := createSession(t, fac, base, "Rapat evaluasi layanan", "Budi Santoso")

	par := newBrowser(t, "participant", 360, 740, true)
	par.do("open the landing page", chromedp.Navigate(base+"/"), waitVisible(css(`[data-testid=join-code-input]`)))
	axeCheck(t, par, src, "landing 360")
	par.do("open the join link", chromedp.Navigate(base+"/join/"+code), waitVisible(css(`[data-testid=join-page]`)))
	axeCheck(t, par, src, "join 360")
	par.do("join",
		typeInto(css(`[data-testid=join-name]`), "Sari Dewi"),
		click(css(`[data-testid=join-submit]`)),
		waitVisible(css(selBoard)),
	)
	par.waitJS("connected", connected)
	addNote(t, par, 1, "Antrean loket terlalu panjang")
	par.waitJS("the note is acked", noteShown("Antrean loket terlalu panjang"))
	axeCheck(t, par, src, "participant board 360")

	fac.waitJS("the facilitator sees the note and the participant", noteShown("Antrean loket terlalu panjang")+` && document.querySelectorAll('[data-testid=participant]').length === 2`)
	axeCheck(t, fac, src, "facilitator board 1280")
}
