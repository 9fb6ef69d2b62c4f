package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/fasthttp/websocket"
	"github.com/google/uuid"

	"rembuk/board"
	"rembuk/store"
)

// TestBigBoardLoads: a board of 1,500 notes of 1,000 characters (emoji,
// `<`, `&`, quotes; ~6 MB of JSON, over the 1 MiB at which the server
// announces a welcome) opens in the page after a reload: every note is
// there, the text is text, and the page said how big the board is while
// it waited ("Memuat papan… 6,4 MB", recorded by an observer, as it shows
// only while the ~6 MB arrive).
func TestBigBoardLoads(t *testing.T) {
	srv := newServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, srv.url, "Papan besar", "Budi Santoso")
	id := strings.TrimPrefix(eval[string](fac, `location.pathname`), "/s/")
	srv.stop()

	const n = 1500
	db, err := store.Open(srv.db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, _, err := db.LoadState(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var author string
	for _, p := range st.Participants {
		author = p.ID
	}
	col := st.SortedColumns()[0].ID
	text := func(i int) string {
		r := []rune(`<b>&"\`)
		for len(r) < board.MaxNoteText-6 {
			r = append(r, '😀')
		}
		return string(r) + fmt.Sprintf("#%05d", i)
	}
	var chs []*board.Change
	for i := 0; i < n; i++ {
		s := text(i)
		ch, err := st.Execute(author, board.Command{Type: "note.add", ColumnID: col, Text: &s}, time.Now(), uuid.NewString)
		if err != nil {
			t.Fatal(err)
		}
		chs = append(chs, ch)
	}
	if _, err := db.Submit(ctx, id, 0, chs); err != nil {
		t.Fatal(err)
	}
	db.Close()

	const watch = `(() => { window.__loading = []; new MutationObserver(() => {
		const el = document.querySelector('[data-testid=board-loading-text]');
		if (el && !window.__loading.includes(el.textContent)) window.__loading.push(el.textContent);
	}).observe(document, { subtree: true, childList: true, characterData: true }); })()`
	if _, err := chromedp.Call(fac.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		t.Fatal(err)
	}
	srv.start()
	// As on a device that has not kept this board (the page shows a kept
	// board at once and resumes, without a loading view): leave the page
	// first (it keeps its board as it goes), then forget the kept board.
	url := eval[string](fac, `location.href`)
	fac.do("leave the board", chromedp.Navigate("about:blank"))
	fac.do("forget the kept board", chromedp.Navigate(srv.url+"/"))
	eval[bool](fac, `localStorage.removeItem('rembuk:board'), true`)
	fac.do("open the big board", chromedp.Navigate(url))
	fac.waitJSFor("every note is on the page", fmt.Sprintf(`document.querySelectorAll('[data-testid=note]').length === %d`, n), 60*time.Second)
	fac.waitJS("connected", connected)
	if !eval[bool](fac, noteShown(text(7))) {
		t.Error("note 7's text is not shown as written")
	}
	seen := eval[[]string](fac, `window.__loading`)
	t.Logf("loading texts seen: %q", seen)
	sized := false
	for _, s := range seen {
		sized = sized || strings.Contains(s, "MB")
	}
	if !sized {
		t.Errorf("the page never said the board's size while loading (saw %q)", seen)
	}
	fac.shot("big-board")
}

// TestNinthConnectionReplacesThePage: the page's connection is the oldest
// of its participant when eight more open (a script here); it is closed
// with 4008 and the page says the board is open elsewhere, without
// reconnecting and without forgetting the token: a reload works again.
func TestNinthConnectionReplacesThePage(t *testing.T) {
	srv := newServer(t)
	fac := newBrowser(t, "facilitator", 1280, 800, false)
	createSession(t, fac, srv.url, "Banyak tab", "Budi Santoso")
	id := strings.TrimPrefix(eval[string](fac, `location.pathname`), "/s/")
	tok := eval[string](fac, `JSON.parse(localStorage.getItem('rembuk:session:`+id+`')).token`)
	u := "ws" + strings.TrimPrefix(srv.url, "http") + "/ws/sessions/" + id
	for i := 0; i < 8; i++ {
		c, _, err := websocket.DefaultDialer.Dial(u, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","token":"`+tok+`"}`))
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, _, err := c.ReadMessage(); err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
	}
	fac.waitJS("the page says it is open elsewhere", `!!document.querySelector('[data-testid=gate-replaced]')`)
	fac.shot("replaced")
	if eval[string](fac, `localStorage.getItem('rembuk:session:`+id+`') || ''`) == "" {
		t.Fatal("the page forgot its token")
	}
	fac.do("reload", chromedp.Reload(), waitVisible(css(selBoard)))
	fac.waitJS("connected again", connected)
}
