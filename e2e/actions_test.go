package e2e

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// These actions find elements with document.querySelector in the page
// itself instead of chromedp's mirrored DOM tree, which can lag behind a
// page that re-renders often. click still sends real mouse events, at the
// element's center, and first checks that nothing covers the element there.

// point is where an element is and whether it can be hit there.
type point struct {
	X, Y float64
	Hit  bool
	Top  string
}

func pollJS[T any](ctx context.Context, t *chromedp.Target, what, expr string, done func(T) bool) (T, error) {
	var last T
	for {
		v, err := chromedp.Evaluate[T](expr)(ctx, t)
		if err == nil && done(v) {
			return v, nil
		}
		if err == nil {
			last = v
		}
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("%s: %w", what, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// click waits for the element, brings it into view, waits until it stays
// put (lanes snap, dialogs grow while state arrives), checks that it is on
// top at its center and clicks there with the mouse.
func click(sel chromedp.CSS) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		expr := `(() => { const e = document.querySelector(` + js(string(sel)) + `); if (!e) return null;
			const r = e.getBoundingClientRect(); if (!r.width || !r.height || getComputedStyle(e).visibility === 'hidden') return null;
			const x = r.x + r.width / 2, y = r.y + r.height / 2;
			if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) { e.scrollIntoView({block: 'center', inline: 'center'}); return null; }
			const top = document.elementFromPoint(x, y);
			const hit = !!top && (top === e || e.contains(top));
			// Inside the window but clipped by its scrolling lane, or under something sticky (the composer, the landing's
			// "Buat sesi"): scroll it to the middle, as a person would. What still covers it there (an overlay) fails the click.
			if (!hit && !(top && top.closest('dialog, .menu, .projector'))) e.scrollIntoView({block: 'center', inline: 'nearest'});
			return {x, y, hit, top: top ? (top.dataset.testid || top.tagName + '.' + top.className) : ''}; })()`
		var prev *point
		p, err := pollJS(ctx, t, "click "+string(sel), expr, func(p *point) bool {
			stable := p != nil && p.Hit && prev != nil && prev.X == p.X && prev.Y == p.Y
			prev = p
			return stable
		})
		if err != nil {
			if p != nil {
				return chromedp.Void{}, fmt.Errorf("%w (at its center: %s)", err, p.Top)
			}
			return chromedp.Void{}, err
		}
		return chromedp.MouseClickXY(p.X, p.Y)(ctx, t)
	}
}

// waitVisible waits until the element is in the page and has a size.
func waitVisible(sel chromedp.CSS) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := pollJS(ctx, t, "wait for "+string(sel), `(() => { const e = document.querySelector(`+js(string(sel))+`); if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })()`, func(ok bool) bool { return ok })
		return chromedp.Void{}, err
	}
}

// waitGone waits until no element matches.
func waitGone(sel chromedp.CSS) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := pollJS(ctx, t, "wait for no "+string(sel), `!document.querySelector(`+js(string(sel))+`)`, func(ok bool) bool { return ok })
		return chromedp.Void{}, err
	}
}

// focusOn focuses the element.
func focusOn(sel chromedp.CSS) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := pollJS(ctx, t, "focus "+string(sel), `(() => { const e = document.querySelector(`+js(string(sel))+`); if (!e) return false; e.focus(); return document.activeElement === e; })()`, func(ok bool) bool { return ok })
		return chromedp.Void{}, err
	}
}

// typeInto focuses the field and types text with real key events.
func typeInto(sel chromedp.CSS, text string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := focusOn(sel)(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.KeyEvent(text)(ctx, t)
	}
}

// setValue sets a field's value (date pickers, selects) and fires input and change.
func setValue(sel chromedp.CSS, value string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := pollJS(ctx, t, "set "+string(sel), `(() => { const e = document.querySelector(`+js(string(sel))+`); if (!e) return false; e.value = `+js(value)+`; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return e.value === `+js(value)+`; })()`, func(ok bool) bool { return ok })
		return chromedp.Void{}, err
	}
}
