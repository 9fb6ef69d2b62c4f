// columns.js — the lanes: one column per template column, each with its
// composer, groups and notes; horizontal scroll with snap on a phone;
// drag and drop of notes on a desktop (a menu does the same everywhere).
import { h } from '../dom.js';
import { t, fmtNum } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { columns, groupsIn, displayNotes, notesByColumn, hiddenCounts } from './derive.js';
import { noteCard, voteControl, usgOrGate, recordBox, linkChips } from './note.js';
import { dropZone } from './drag.js';
import { colorPicker, focusQuiet } from './swatches.js';
import { apklPicker, apklBadge, apklClass, isItem } from './apkl.js';
import { columnMenu, groupMenu } from './menus.js';
import { addColumnDialog } from './dialogs.js';
import { usgKind } from './perm.js';
import { draftProps, draftOf, dropDraft, hasDraft } from './drafts.js';
import { newRef } from '../conn.js';
import { filterByUnit } from './units.js';

export function lanes(ctx, p) {
  const s = ctx.state;
  const cols = columns(s);
  const notes = displayNotes(s, ctx.conn.pending().filter((c) => !ctx.seenRefs.has(c.ref)), ctx.acked);
  filterByUnit(ctx, notes);
  const byCol = notesByColumn(notes);
  const hidden = hiddenCounts(s);
  const narrow = window.innerWidth < 900;
  return h('main', { class: 'lanes-wrap', 'aria-label': t('board.columns') },
    // Buttons that scroll to a column, not tabs: a plain navigation list.
    narrow && cols.length > 1 ? h('nav', { class: 'lane-tabs', 'aria-label': t('board.columns') },
      cols.map((c, i) => h('button', {
        key: c.id, type: 'button', class: 'lane-tab', 'data-testid': 'lane-tab',
        onclick: () => document.querySelector(`[data-column-id="${CSS.escape(c.id)}"]`)?.scrollIntoView({ behavior: 'smooth', inline: 'start', block: 'nearest' }),
      }, h('span', { class: 'lane-tab-name' }, `${i + 1}. ${c.title}`), h('span', { class: 'lane-tab-count' }, String((byCol.get(c.id) || []).length))))) : null,
    h('div', { class: 'lanes', 'data-testid': 'columns' },
      cols.map((c) => lane(ctx, p, c, byCol.get(c.id) || [], hidden.get(c.id) || 0)),
      p.facEdit ? h('div', { key: 'add-col', class: 'lane lane-add' },
        h('button', { type: 'button', class: 'btn btn-ghost add-column', 'data-testid': 'add-column', onclick: () => addColumnDialog(ctx) }, icon('plus'), t('column.add'))) : null));
}

function lane(ctx, p, c, list, hiddenN) {
  const s = ctx.state;
  const visible = list.filter((n) => !n.hidden);
  const facesDown = list.filter((n) => n.hidden);
  const groups = groupsIn(s, c.id);
  const inGroup = new Map(groups.map((g) => [g.id, []]));
  const loose = [];
  for (const n of visible) {
    if (n.groupId && inGroup.has(n.groupId)) inGroup.get(n.groupId).push(n);
    else loose.push(n);
  }
  // A composer holding text stays, even when the board is locked meanwhile.
  const open = ctx.ui.composer.has(c.id) && (p.addNote || hasDraft(ctx, 'compose/' + c.id));
  const count = list.length;
  return h('section', {
    key: c.id, class: 'lane kind-' + c.kind, 'data-testid': 'column', 'data-column-id': c.id, 'data-kind': c.kind, 'aria-label': c.title,
    ...dropZone(ctx, p, c.id, ''),
  },
  h('header', { class: 'lane-head' },
    h('div', { class: 'lane-title-row' },
      h('h2', { class: 'lane-title', 'data-testid': 'column-title' }, c.title),
      h('span', { class: 'lane-count', 'aria-label': t('column.count', { n: count }) }, String(count)),
      p.facEdit ? h('button', { type: 'button', class: 'icon-btn icon-btn-sm', 'data-testid': 'column-menu', 'aria-haspopup': 'menu', 'aria-label': t('column.menu', { name: c.title }), onclick: (e) => columnMenu(ctx, c, e.currentTarget) }, icon('more', 16)) : null),
    laneSub(c, p.fac ? hiddenN : 0)),
  h('div', { class: 'lane-body' },
    open ? composer(ctx, c, p.addNote) : p.addNote ? h('button', {
      type: 'button', class: 'add-note', 'data-testid': 'add-note', 'data-column-id': c.id,
      onclick: () => { ctx.ui.composer.add(c.id); ctx.schedule(); },
    }, icon('plus', 16), t('note.add')) : null,
    facesDown.length ? h('div', { class: 'hidden-stack', 'data-testid': 'hidden-count', 'data-count': facesDown.length },
      h('span', { class: 'hidden-cards', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
      h('span', null, t('hidden.cards', { n: facesDown.length }))) : null,
    groups.map((g) => groupBox(ctx, p, c, g, inGroup.get(g.id))),
    h('div', { class: 'note-list', 'data-testid': 'note-list' }, loose.map((n) => noteCard(ctx, p, c, n, true))),
    !count && !open ? h('p', { class: 'lane-empty' }, t('column.empty')) : null));
}

function laneSub(c, hiddenN) {
  const showKind = c.title.trim().toLowerCase() !== t('kind.' + c.kind).toLowerCase();
  if (!showKind && !hiddenN) return null;
  return h('div', { class: 'lane-sub' },
    showKind ? h('span', { class: 'kind-badge kind-badge-' + c.kind }, t('kind.' + c.kind)) : null,
    hiddenN ? h('span', { class: 'hidden-badge', 'data-testid': 'column-hidden-count', 'data-count': hiddenN }, icon('eyeOff', 12), t('hidden.count', { n: hiddenN })) : null);
}

function composer(ctx, c, canAdd) {
  const key = 'compose/' + c.id;
  const submit = (form) => {
    const ta = form.elements.text;
    const text = draftOf(ctx, key, ta.value).trim();
    if (!text || !canAdd) { focusQuiet(ta); return; }
    if ([...text].length > 1000) return;
    const ref = newRef();
    ctx.cmd('note.add', { ref, columnId: c.id, text, color: ctx.ui.color });
    // The next render scrolls the new card into view; the composer (sticky
    // at the top of the lane) stays open, empty and focused for the next one.
    ctx.ui.reveal = { id: 'pending:' + ref, block: 'nearest' };
    dropDraft(ctx, key);
    ta.value = '';
    focusQuiet(ta);
  };
  const close = () => { ctx.ui.composer.delete(c.id); dropDraft(ctx, key); };
  return h('form', {
    key: 'composer', class: 'composer note-' + ctx.ui.color, 'data-testid': 'composer',
    onsubmit: (e) => { e.preventDefault(); submit(e.target); },
  },
  h('label', { class: 'sr-only', for: 'compose-' + c.id }, t('note.inputLabel', { column: c.title })),
  h('textarea', {
    id: 'compose-' + c.id, name: 'text', rows: 3, maxlength: 1000, placeholder: t('note.placeholder'), 'data-testid': 'note-input', ...draftProps(ctx, key),
    ref: (node) => setTimeout(() => focusQuiet(node), 0),
    onkeydown: (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(e.target.form); }
      if (e.key === 'Escape') { e.preventDefault(); close(); }
    },
  }),
  h('div', { class: 'composer-foot' },
    colorPicker(ctx.ui.color, (col) => ctx.setUI({ color: col }), 'compose-' + c.id),
    h('div', { class: 'composer-btns' },
      h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'note-cancel', onclick: close }, t('common.close')),
      h('button', { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'note-submit', disabled: !canAdd }, t('note.save')))),
  // The keyboard hint is for keyboards: a touch screen hides it (CSS).
  h('p', { class: 'composer-hint' + (canAdd ? ' kbd-hint' : ''), role: canAdd ? null : 'status' }, t(canAdd ? 'note.hint' : 'note.lockedDraft')));
}

function groupBox(ctx, p, c, g, notes) {
  const s = ctx.state;
  const spot = s.session.spotlight === g.id;
  const phase = s.session.phase;
  return h('section', {
    key: 'g-' + g.id, class: 'group' + (spot ? ' spotlight' : '') + apklClass(s, g), 'data-testid': 'group', 'data-group-id': g.id, 'data-target-id': g.id, 'aria-label': g.title,
    ...dropZone(ctx, p, c.id, g.id),
  },
  h('header', { class: 'group-head' },
    icon('layers', 14),
    h('h3', { class: 'group-title', 'data-testid': 'group-title' }, g.title),
    h('span', { class: 'group-count', title: t('column.count', { n: notes.length }) }, String(notes.length)),
    apklBadge(s, g),
    h('button', { type: 'button', class: 'icon-btn icon-btn-sm', 'data-testid': 'group-menu', 'aria-haspopup': 'menu', 'aria-label': t('group.menu', { name: g.title }), onclick: (e) => groupMenu(ctx, p, g, e.currentTarget) }, icon('more', 16))),
  (g.votes || (g.usg && g.usg.raters)) && phase !== 'vote' ? h('div', { class: 'group-meta' },
    g.votes ? h('span', { class: 'votes-badge', 'data-testid': 'group-votes', title: t('vote.count', { n: g.votes }) }, h('span', { class: 'dot-icon' }), t('vote.count', { n: g.votes })) : null,
    g.usg && g.usg.raters ? h('span', { class: 'usg-badge', title: t('usg.total') }, 'USG ' + fmt(g.usg.total)) : null) : null,
  linkChips(s, g.id, c),
  recordBox(s, g.id),
  phase === 'vote' ? h('div', { class: 'target-controls' }, p.vote ? voteControl(ctx, p, g) : null, usgKind(c.kind) && p.usg ? usgOrGate(ctx, g) : null) : null,
  phase === 'screen' && isItem(s, g) ? h('div', { class: 'target-controls' }, apklPicker(ctx, g)) : null,
  h('div', { class: 'group-notes' }, notes.length ? notes.map((n) => noteCard(ctx, p, c, n, false)) : h('p', { class: 'lane-empty' }, t('group.empty'))));
}

const fmt = (x) => fmtNum(x);
