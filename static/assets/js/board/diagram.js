// diagram.js — the root-cause views, fishbone (tulang ikan) and pohon
// masalah, drawn as SVG elements from the layout the server computes for
// this viewer (GET /api/sessions/{id}/diagram: the board as this token may
// see it, so a hidden note never reaches the page). Text goes in as text
// nodes through dom.js; no chart library. A click (or Enter/Space) on a
// node spotlights it for the facilitator; every node is reachable by Tab.
import { h, svg } from '../dom.js';
import { t, getLang, errorText } from '../i18n.js';
import { getDiagram } from '../api.js';

const REFETCH_MS = 400;
// Events that can change what a diagram shows.
const RELEVANT = /^(link\.|note\.|group\.|column\.|notes\.revealed)/;

function dg(ctx) {
  if (!ctx.ui.dg) ctx.ui.dg = { view: 'fishbone', root: null, data: null, busy: false, error: null, fit: window.innerWidth >= 900, stale: true, timer: 0 };
  return ctx.ui.dg;
}

async function load(ctx) {
  const d = dg(ctx);
  if (d.busy) { d.again = true; return; }
  d.busy = true;
  d.stale = false;
  try {
    const data = await getDiagram(ctx.sessionId, ctx.token, d.view, d.root, getLang());
    d.data = data;
    d.root = data.root;
    d.error = null;
  } catch (e) {
    if (e.code === 'not_found' && d.root) { d.root = null; d.again = true; } else d.error = e.code;
  }
  d.busy = false;
  if (d.again) { d.again = false; load(ctx); }
  ctx.schedule();
}

/** diagramEvent refetches (debounced) when an event may change the open diagram. */
export function diagramEvent(ctx, ev) {
  const d = ctx.ui.dg;
  if (!d || !RELEVANT.test(ev.event)) return;
  d.stale = true;
  if (ctx.ui.panel !== 'diagram') return;
  clearTimeout(d.timer);
  d.timer = setTimeout(() => load(ctx), REFETCH_MS);
}

export function diagramView(ctx, p) {
  const d = dg(ctx);
  if (d.stale && !d.busy) queueMicrotask(() => load(ctx));
  const set = (patch) => { Object.assign(d, patch); if ('view' in patch || 'root' in patch) load(ctx); ctx.schedule(); };
  const roots = (d.data && d.data.roots) || [];
  return h('section', { class: 'diagram-view', 'data-testid': 'diagram-view' },
    h('div', { class: 'dg-bar' },
      h('div', { class: 'seg', role: 'group', 'aria-label': t('dg.view') },
        ['fishbone', 'tree'].map((v) => h('button', { key: v, type: 'button', class: 'btn btn-sm' + (d.view === v ? ' btn-primary' : ' btn-ghost'), 'aria-pressed': String(d.view === v),
          'data-testid': 'dg-view-' + v, onclick: () => set({ view: v }) }, t('dg.' + v)))),
      roots.length > 1 ? h('label', { class: 'dg-pick' }, h('span', { class: 'field-label' }, t('dg.root')),
        h('select', { 'data-testid': 'dg-root', value: d.root || '', onchange: (e) => set({ root: e.target.value }) },
          roots.map((r) => h('option', { key: r.id, value: r.id }, r.text.length > 60 ? r.text.slice(0, 59) + '…' : r.text)))) : null,
      d.data && d.data.layout ? h('button', { type: 'button', class: 'btn btn-sm btn-ghost', 'aria-pressed': String(d.fit), 'data-testid': 'dg-fit',
        onclick: () => set({ fit: !d.fit }) }, t(d.fit ? 'dg.actual' : 'dg.fit')) : null),
    d.error ? h('p', { class: 'empty', role: 'alert' }, errorText(d.error)) : null,
    !d.data ? h('p', { class: 'empty' }, t('dg.loading'))
      : !d.data.layout ? h('p', { class: 'empty', 'data-testid': 'dg-empty' }, t('dg.empty'))
        : h('div', { key: d.data.layout.view + '/' + d.root, class: 'dg-scroll' + (d.fit ? ' dg-fit' : ''), 'data-testid': 'dg-scroll',
          // A fishbone's head (the problem) is on the right: show it first on a narrow screen.
          ref: (el) => { if (d.data.layout.view === 'fishbone') requestAnimationFrame(() => { el.scrollLeft = el.scrollWidth; }); } },
        drawing(ctx, p, d.data.layout, d.fit)),
    p.fac ? h('p', { class: 'dg-hint' }, t('dg.hintFac')) : null);
}

const pts = (points) => points.map((q) => q[0] + ',' + q[1]).join(' ');

function drawing(ctx, p, l, fit) {
  const spot = ctx.state.session.spotlight;
  const title = t(l.view === 'tree' ? 'dg.tree' : 'dg.fishbone');
  // A space ends every line but the last, so the text a screen reader
  // reads from the drawing has its words apart, as the name says them.
  const lines = (x, y, ls, center, w) => ls.map((ln, i) => svg('tspan', { key: i, x: center ? x + w / 2 : x + l.padX, y: Math.round((y + l.padY + i * l.lineHeight + l.baselineOffset) * 10) / 10 }, i < ls.length - 1 ? ln + ' ' : ln));
  return svg('svg', {
    class: 'dg-svg dg-' + l.view, viewBox: `0 0 ${l.width} ${l.height}`, width: fit ? null : l.width, height: fit ? null : l.height,
    role: 'group', 'aria-label': title, 'data-testid': 'dg-svg', 'font-size': l.fontSize,
  },
  svg('defs', null, svg('marker', { id: 'dg-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0 0L10 5L0 10z', class: 'dg-arrowhead' }))),
  (l.strokes || []).map((s, i) => svg('polyline', { key: 's' + i, class: 'dg-stroke dg-stroke-' + s.kind, points: pts(s.points) })),
  (l.edges || []).map((e, i) => svg('polyline', { key: 'e' + i, class: 'dg-edge dg-edge-' + e.kind, points: pts(e.points), 'marker-end': 'url(#dg-arrow)' })),
  (l.labels || []).map((b, i) => svg('g', { key: 'l' + i, class: 'dg-label' },
    svg('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 4 }),
    svg('text', { 'text-anchor': 'middle' }, lines(b.x, b.y, b.lines, true, b.w)))),
  (l.nodes || []).map((n) => {
    const real = n.kind !== 'more';
    // The name starts with what is drawn (cut boxes end in "…"), then the whole note.
    const shown = n.lines.join(' ');
    const name = shown === n.text ? n.text : shown + ' — ' + n.text;
    const act = () => {
      if (!real || !p.fac || p.closed) return;
      ctx.cmd('spotlight.set', { targetId: spot === n.id ? null : n.id });
    };
    return svg('g', {
      key: n.id, class: 'dg-node dg-' + n.kind + (n.depth === 0 ? ' dg-root' : '') + (spot === n.id ? ' dg-spot' : ''),
      tabindex: 0, role: p.fac && real ? 'button' : 'img', 'aria-label': name + (spot === n.id ? ' — ' + t('spot.badge') : ''),
      'data-testid': 'dg-node', 'data-id': n.id,
      onclick: act,
      onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); act(); } },
    },
    svg('title', null, n.text),
    svg('rect', { x: n.x, y: n.y, width: n.w, height: n.h, rx: 6 }),
    svg('text', null, lines(n.x, n.y, n.lines, false, n.w)));
  }));
}
