package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// css is a shorthand for a CSS selector.
func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// col is the selector of the n-th column (1-based).
func col(n int) string {
	return fmt.Sprintf(`[data-testid=columns] > [data-testid=column]:nth-child(%d)`, n)
}

// createSession fills the landing page's create form and waits for the
// board; it returns the join code.
func createSession(t *testing.T, b *browser, base, title, name string) string {
	t.Helper()
	b.do("create a session",
		chromedp.Navigate(base+"/"),
		waitVisible(css(`[data-testid=template-masalah-inovasi]`)),
		click(css(`[data-testid=template-masalah-inovasi]`)), // the tests' three columns (the default is Zona Integritas)
		typeInto(css(`[data-testid=create-title]`), title),
		typeInto(css(`[data-testid=create-name]`), name),
		click(css(`[data-testid=create-submit]`)),
		waitVisible(css(selBoard)),
	)
	b.waitJS("connected", connected)
	return eval[string](b, `document.querySelector('[data-testid=topbar-code] span').textContent`)
}

// joinSession joins by code from the landing page and waits for the board.
func joinSession(t *testing.T, b *browser, base, code, name string) {
	t.Helper()
	b.do("join by code",
		chromedp.Navigate(base+"/"),
		waitVisible(css(`[data-testid=join-code-input]`)),
		typeInto(css(`[data-testid=join-code-input]`), code),
		typeInto(css(`[data-testid=join-name]`), name),
		click(css(`[data-testid=join-submit]`)),
		waitVisible(css(selBoard)),
	)
	b.waitJS("connected", connected)
}

// addNote opens the composer of column n (if closed) and posts text.
func addNote(t *testing.T, b *browser, n int, text string) {
	t.Helper()
	if !eval[bool](b, `!!document.querySelector(`+js(col(n)+` [data-testid=note-input]`)+`)`) {
		b.do("open the composer", click(css(col(n)+` [data-testid=add-note]`)))
	}
	b.do("post a note",
		waitVisible(css(col(n)+` [data-testid=note-input]`)),
		typeInto(css(col(n)+` [data-testid=note-input]`), text),
		click(css(col(n)+` [data-testid=note-submit]`)),
	)
}

// noteSel is a JS expression for the note element whose text is text.
func noteSel(text string) string {
	return `[...document.querySelectorAll('[data-testid=note]')].find(n => n.querySelector('[data-testid=note-text]')?.textContent === ` + js(text) + `)`
}

// clickNoteMenu opens the ⋯ menu of the note with this text, then clicks the menu item.
func clickNoteMenu(t *testing.T, b *browser, text, item string) {
	t.Helper()
	id := eval[string](b, `(`+noteSel(text)+`)?.dataset.noteId || ''`)
	if id == "" {
		b.shot("FAIL-no-note")
		t.Fatalf("%s: no note %q", b.name, text)
	}
	b.do("open the note menu",
		click(css(`[data-note-id="`+id+`"] [data-testid=note-menu]`)),
		waitVisible(css(`[data-testid=`+item+`]`)),
		click(css(`[data-testid=`+item+`]`)),
	)
}

// count returns how many elements match a CSS selector.
func count(b *browser, sel string) int {
	return eval[int](b, `document.querySelectorAll(`+js(sel)+`).length`)
}
