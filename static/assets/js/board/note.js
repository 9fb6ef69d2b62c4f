// note.js — one sticky note: text (always as text), author, pending and
// private badges, links, conclusion, dot votes and the U/S/G pickers in the
// vote phase, and its menu button (always visible: nothing is hover-only).
import { h } from '../dom.js';
import { t, fmtNum } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { votesLeft } from '../state.js';
import { isMine, usgKind, resultsHidden } from './perm.js';
import { label } from './derive.js';
import { noteMenu } from './menus.js';
import { dragProps, stackProps } from './drag.js';
import { COLORS, colorPicker, focusQuiet } from './swatches.js';
import { draftProps, draftOf, dropDrafts, setDraft } from './drafts.js';
import { apklPicker, apklBadge, apklClass, isItem, screenedOut, pickScore } from './apkl.js';
import { unitClass, unitChip } from './units.js';

export function noteCard(ctx, p, c, n, loose) {
  const s = ctx.state;
  if (n.hidden) {
    return h('article', { key: n.id, class: 'note note-hidden', 'data-testid': 'note', 'data-note-id': n.id, 'data-hidden': 'true', 'aria-label': t('hidden.one') },
      h('span', { class: 'note-hidden-face', 'aria-hidden': 'true' }, icon('eyeOff', 20)));
  }
  const mine = isMine(s, n);
  const editing = ctx.ui.editing === n.id;
  const spot = s.session.spotlight === n.id;
  const selecting = ctx.ui.selecting && !n.pending;
  const selected = ctx.ui.selected.has(n.id);
  const phase = s.session.phase;
  const cls = ['note', 'note-' + (n.color || 'yellow') + apklClass(s, n)];
  if (n.pending) cls.push('pending');
  if (spot) cls.push('spotlight');
  if (selected) cls.push('selected');
  if (mine) cls.push('mine');
  const uc = unitClass(ctx, n);
  if (uc) cls.push(uc);
  const priv = !!n.private && !n.pending;
  return h('article', {
    key: n.id, class: cls.join(' '), 'data-testid': 'note', 'data-note-id': n.id, 'data-target-id': n.pending ? null : n.id,
    'data-pending': n.pending ? 'true' : null, 'data-mine': mine ? 'true' : null, 'data-unit': n.authorUnit || null,
    ...(editing ? {} : dragProps(p, n)),
    ...(editing || !loose ? {} : stackProps(ctx, p, n)),
  },
  selecting ? h('label', { class: 'note-select' },
    h('input', { type: 'checkbox', checked: selected, 'data-testid': 'note-select', 'aria-label': t('group.selectNote'),
      onchange: (e) => { if (e.target.checked) ctx.ui.selected.add(n.id); else ctx.ui.selected.delete(n.id); ctx.schedule(); } })) : null,
  editing ? editForm(ctx, n) : h('p', { class: 'note-text', 'data-testid': 'note-text' }, n.text),
  badges(ctx, p, n, mine, priv),
  linkChips(s, n.id, c),
  recordBox(s, n.id),
  phase === 'vote' && loose && !n.pending ? h('div', { class: 'target-controls' },
    p.vote ? voteControl(ctx, p, n) : null,
    usgKind(c.kind) && p.usg ? usgOrGate(ctx, n) : null) : null,
  phase === 'screen' && loose && !n.pending && isItem(s, n) ? h('div', { class: 'target-controls' }, apklPicker(ctx, n)) : null,
  editing ? null : h('footer', { class: 'note-foot' },
    h('span', { class: 'note-author', 'data-testid': 'note-author' }, authorLabel(s, n, mine)),
    unitChip(ctx, n),
    n.votes && !(phase === 'vote' && loose) ? h('span', { class: 'votes-badge', 'data-testid': 'note-votes', title: t('vote.count', { n: n.votes }) }, h('span', { class: 'dot-icon' }), String(n.votes)) : null,
    n.usg && n.usg.raters && !(phase === 'vote' && loose) ? h('span', { class: 'usg-badge', title: t('usg.total') }, 'USG ' + fmt1(n.usg.total)) : null,
    loose && !n.pending ? apklBadge(s, n) : null,
    n.pending ? null : h('button', { type: 'button', class: 'icon-btn icon-btn-sm note-menu-btn', 'data-testid': 'note-menu', 'aria-haspopup': 'menu', 'aria-label': t('note.menu'), onclick: (e) => noteMenu(ctx, p, c, n, e.currentTarget) }, icon('more', 16))));
}

function authorLabel(s, n, mine) {
  if (n.pending) return '';
  // A note written while the session was anonymous stays anonymous.
  const anon = s.session.settings.anonymous || n.anonymous;
  if (mine && anon) return t('note.youAnon');
  if (n.authorName) return n.authorName;
  return anon ? t('note.anonymous') : '';
}

function badges(ctx, p, n, mine, priv) {
  const out = [];
  if (n.pending) out.push(h('span', { key: 'p', class: 'badge badge-pending', 'data-testid': 'note-pending' }, icon('clock', 12), t(ctx.status === 'connected' ? 'note.sending' : 'note.pending')));
  if (priv) out.push(h('span', { key: 'v', class: 'badge badge-private', 'data-testid': 'note-private', title: t('note.privateHint') }, icon('eyeOff', 12), t(mine ? 'note.privateMine' : 'note.private')));
  if (ctx.state.session.spotlight === n.id) out.push(h('span', { key: 's', class: 'badge badge-spot' }, icon('star', 12), t('spot.badge')));
  return out.length ? h('div', { class: 'note-badges' }, out) : null;
}

export function linkChips(s, id, c) {
  const chips = [];
  for (const l of s.links.values()) {
    if (l.fromId === id) chips.push({ l, other: l.toId, dir: 'to' });
    else if (l.toId === id) chips.push({ l, other: l.fromId, dir: 'from' });
  }
  if (!chips.length) return null;
  return h('ul', { class: 'note-links', 'data-testid': 'note-links', 'aria-label': t('link.list') },
    chips.map(({ l, other, dir }) => h('li', { key: l.id, class: 'link-chip link-' + dir + ' link-' + (l.kind || 'answers'), 'data-testid': 'link-chip', 'data-kind': l.kind || 'answers' },
      icon('link', 12), h('span', { class: 'link-dir' }, t('linkDir.' + (l.kind || 'answers') + '.' + dir)), label(s, other, 48))));
}

export function recordBox(s, id) {
  const r = s.records.get(id);
  if (!r) return null;
  return h('div', { class: 'record-box', 'data-testid': 'record-box' }, h('strong', null, t('record.label')), h('p', null, r.text));
}

// editForm edits a note in place. Its text and colour are drafts ("edit/<id>",
// "edit/<id>#color"), so the editor keeps them when the card is rebuilt
// (moved to another column or group by someone else) or the board re-renders.
function editForm(ctx, n) {
  const key = 'edit/' + n.id;
  const color = draftOf(ctx, key + '#color', n.color);
  const cancel = () => { dropDrafts(ctx, key); ctx.setUI({ editing: null }); };
  const save = () => {
    const text = draftOf(ctx, key, n.text).trim();
    if (!text) return;
    const fields = { id: n.id };
    if (text !== n.text) fields.text = text;
    if (color !== n.color) fields.color = color;
    if (fields.text || fields.color) ctx.cmd('note.update', fields);
    cancel();
  };
  return h('form', { key: 'edit', class: 'note-edit', 'data-testid': 'note-edit', onsubmit: (e) => { e.preventDefault(); save(); } },
    h('label', { class: 'sr-only', for: 'edit-' + n.id }, t('note.editLabel')),
    h('textarea', { id: 'edit-' + n.id, name: 'text', rows: 3, maxlength: 1000, ...draftProps(ctx, key, n.text), 'data-testid': 'note-edit-input',
      ref: (node) => setTimeout(() => { focusQuiet(node); node.setSelectionRange(node.value.length, node.value.length); }, 0),
      onkeydown: (e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); save(); }
        if (e.key === 'Escape') { e.preventDefault(); cancel(); }
      } }),
    h('div', { class: 'composer-foot' },
      colorPicker(color, (col) => { setDraft(ctx, key + '#color', col); ctx.schedule(); }, 'edit-' + n.id),
      h('div', { class: 'composer-btns' },
        h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: cancel }, t('common.cancel')),
        h('button', { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'note-edit-save' }, t('common.save')))));
}

/** voteControl is − ●n + for a note or group. */
export function voteControl(ctx, p, target) {
  const s = ctx.state;
  const mine = s.myVotes.get(target.id) || 0;
  const left = votesLeft(s);
  // Hidden results: the total the server sends is a placeholder 0, so the
  // control says "hidden" instead of "0 votes" (the own dots still show).
  const hidden = resultsHidden(s);
  return h('div', { class: 'vote', 'data-testid': 'vote-control' },
    h('button', { type: 'button', class: 'vote-btn', 'data-testid': 'vote-minus', disabled: !mine, 'aria-label': t('vote.retract'), onclick: () => ctx.cmd('vote.retract', { targetId: target.id }) }, icon('minus', 16)),
    h('span', { class: 'vote-count', 'aria-live': 'polite', 'data-testid': 'vote-count', 'data-votes': hidden ? 'hidden' : target.votes || 0, 'data-mine': mine },
      h('span', { class: 'vote-dots', 'aria-hidden': 'true' }, Array.from({ length: Math.min(mine, 10) }, (_, i) => h('span', { key: 'd' + i, class: 'dot-icon mine' }))),
      hidden
        ? h('span', { class: 'vote-total vote-hidden', 'data-testid': 'vote-hidden', title: t('vote.hiddenHint') }, icon('eyeOff', 12), t('vote.hidden', { n: mine }))
        : h('span', { class: 'vote-total' }, t('vote.count', { n: target.votes || 0 }))),
    h('button', { type: 'button', class: 'vote-btn vote-plus', 'data-testid': 'vote-plus', disabled: left <= 0, 'aria-label': t('vote.cast'), onclick: () => ctx.cmd('vote.cast', { targetId: target.id }) }, icon('plus', 16)));
}

/** usgOrGate is the USG picker, or why an item that did not pass APKL gets none. */
export function usgOrGate(ctx, target) {
  if (screenedOut(ctx.state, target)) return h('p', { class: 'apkl-gate', 'data-testid': 'apkl-gate' }, t('apkl.noUsg'));
  return usgPicker(ctx, target);
}

/** usgPicker is three rows of 1–5 for Urgency, Seriousness and Growth. */
export function usgPicker(ctx, target) {
  const s = ctx.state;
  const mine = s.myUsg.get(target.id);
  const draft = ctx.ui.usgDraft.get(target.id) || (mine ? { ...mine } : {});
  const pick = (k, v) => pickScore(ctx, 'usg.score', ['u', 's', 'g'], ctx.ui.usgDraft, ctx.state.myUsg, target, k, v);
  const team = target.usg && target.usg.raters ? target.usg : null;
  return h('div', { class: 'usg', 'data-testid': 'usg-picker', role: 'group', 'aria-label': t('usg.label') },
    ['u', 's', 'g'].map((k) => h('div', { key: k, class: 'usg-row', role: 'radiogroup', 'aria-label': t('usg.' + k) },
      h('span', { class: 'usg-key', title: t('usg.' + k + 'Hint') }, k.toUpperCase()),
      [1, 2, 3, 4, 5].map((v) => h('button', {
        key: 'v' + v, type: 'button', role: 'radio', class: 'usg-btn' + (draft[k] === v ? ' on' : ''), 'aria-checked': String(draft[k] === v),
        'aria-label': `${t('usg.' + k)} ${v}`, 'data-testid': `usg-${k}-${v}`, onclick: () => pick(k, v),
      }, String(v))))),
    h('p', { class: 'usg-summary', 'data-testid': 'usg-summary' },
      mine && !ctx.ui.usgDraft.has(target.id) ? h('span', null, t('usg.mine', { n: mine.u + mine.s + mine.g })) : h('span', { class: 'muted' }, t('usg.pickAll')),
      team ? h('span', { class: 'usg-team' }, t('usg.team', { n: fmt1(team.total), r: team.raters })) : null));
}

const fmt1 = (x) => fmtNum(x);
