// actions.js — follow-up actions (tindak lanjut): what, PIC, deadline,
// linked note, done. Everyone sees the list; the facilitator and the
// notulis add, edit, tick and delete.
import { h } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { openMenu } from '../ui/menu.js';
import { openDialog, confirmDialog } from '../ui/dialog.js';
import { label, targets } from './derive.js';
import { draftProps, draftOf, dropDrafts, draftKeys } from './drafts.js';
import { progressView, statusOf } from './progress.js';

export function actionsView(ctx, p) {
  const s = ctx.state;
  const list = [...s.actions.values()];
  const done = list.filter((a) => a.done).length;
  return [
    h('h2', { class: 'panel-h' }, t('action.title'), list.length ? h('span', { class: 'panel-h-count' }, t('action.progress', { done, n: list.length })) : null),
    list.length
      ? h('ul', { class: 'actions', 'data-testid': 'actions-list' }, list.map((a) => actionItem(ctx, p, a)))
      : h('p', { class: 'empty', 'data-testid': 'actions-empty' }, t(p.staff ? 'action.emptyStaff' : 'action.empty')),
    p.staffEdit ? actionForm(ctx, null, null, 'action-form', null, 'actions/new') : null,
  ];
}

function actionItem(ctx, p, a) {
  const s = ctx.state;
  const today = new Date().toISOString().slice(0, 10);
  const late = statusOf(a) !== 'selesai' && a.due && a.due < today;
  return h('li', { key: a.id, class: 'action' + (a.done ? ' done' : ''), 'data-testid': 'action', 'data-action-id': a.id },
    h('input', { type: 'checkbox', class: 'action-check', checked: !!a.done, disabled: !p.staffEdit, 'data-testid': 'action-done', 'aria-label': t('action.done'),
      onchange: (e) => ctx.cmd('action.update', { id: a.id, done: e.target.checked }) }),
    h('div', { class: 'action-body' },
      h('p', { class: 'action-text', 'data-testid': 'action-text' }, a.text),
      h('p', { class: 'action-meta' },
        h('span', { class: 'action-owner', 'data-testid': 'action-owner' }, icon('users', 12), ' ', t('action.pic'), ': ', a.owner),
        h('span', { class: 'action-due' + (late ? ' late' : ''), 'data-testid': 'action-due' }, icon('clock', 12), ' ', fmtDate(a.due))),
      a.targetId && (s.notes.has(a.targetId) || s.groups.has(a.targetId))
        ? h('p', { class: 'action-target' }, icon('link', 12), ' ', label(s, a.targetId, 70)) : null,
      progressView(ctx, p, a)),
    p.staffEdit ? h('button', { type: 'button', class: 'icon-btn icon-btn-sm', 'data-testid': 'action-menu', 'aria-haspopup': 'menu', 'aria-label': t('action.menu'),
      onclick: (e) => openMenu(e.currentTarget, [
        { label: t('common.edit'), testid: 'action-edit', onSelect: () => actionDialog(ctx, a) },
        { label: t('common.delete'), testid: 'action-delete', danger: true, onSelect: async () => {
          if (await confirmDialog(t('action.deleteConfirm'), { danger: true, ok: t('common.delete') })) ctx.cmd('action.delete', { id: a.id });
        } },
      ], { title: t('action.menu') }) }, icon('more', 16)) : null);
}

/**
 * actionForm is the add/edit form; a given a = edit, targetId = preset link.
 * Its fields are drafts under key ("<key>/text", "/owner", "/due",
 * "/target"), so they outlive re-renders, tab switches and phase changes;
 * an add clears them once the server acks it.
 */
export function actionForm(ctx, a, targetId, testid, onDone, key) {
  const s = ctx.state;
  const people = [...s.participants.values()].map((x) => x.name);
  const tg = a ? a.targetId || '' : targetId || '';
  const field = (name, saved) => draftProps(ctx, key + '/' + name, saved);
  const submit = (form) => {
    const text = draftOf(ctx, key + '/text', a ? a.text : '').trim();
    const owner = draftOf(ctx, key + '/owner', a ? a.owner : '').trim();
    const due = draftOf(ctx, key + '/due', a ? a.due : '');
    if (!text || !owner || !due) {
      form.reportValidity();
      return;
    }
    const fields = { text, owner, due, targetId: draftOf(ctx, key + '/target', tg) || null };
    const sent = draftOf(ctx, key + '/text', '');
    const p = a ? ctx.cmd('action.update', { id: a.id, ...fields }) : ctx.cmd('action.add', fields);
    p.then((ack) => { if (ack && draftOf(ctx, key + '/text', '') === sent) dropDrafts(ctx, key + '/'); });
    if (onDone) onDone();
  };
  const target = field('target', tg);
  return h('form', { key: testid, class: 'action-form', 'data-testid': testid, onsubmit: (e) => { e.preventDefault(); submit(e.target); } },
    a ? null : h('h3', { class: 'form-h' }, t('action.new')),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('action.what')),
      h('textarea', { name: 'text', rows: 2, maxlength: 1000, required: true, ...field('text', a ? a.text : ''), 'data-testid': 'action-text-input', placeholder: t('action.whatPlaceholder') })),
    h('div', { class: 'field-row' },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('action.pic')),
        h('input', { name: 'owner', type: 'text', maxlength: 80, required: true, list: 'people-list', ...field('owner', a ? a.owner : ''), 'data-testid': 'action-owner-input', autocomplete: 'off' })),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('action.due')),
        h('input', { name: 'due', type: 'date', required: true, ...field('due', a ? a.due : ''), onchange: field('due').oninput, 'data-testid': 'action-due-input' }))),
    h('datalist', { id: 'people-list' }, people.map((n, i) => h('option', { key: 'p' + i, value: n }))),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('action.target')),
      // A select's value is set once its options exist (ref), then kept by patches.
      h('select', { name: 'target', 'data-testid': 'action-target-input', ...target, onchange: target.oninput, ref: (node) => { node.value = target.value; } },
        h('option', { value: '' }, t('action.noTarget')),
        targets(s).map((x) => h('option', { key: x.id, value: x.id }, `${x.column.title} — ${x.group ? '▣ ' : ''}${cut(x.label)}`)))),
    h('div', { class: 'form-btns' },
      !a && draftKeys(ctx, key + '/').length ? h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'action-clear', onclick: () => dropDrafts(ctx, key + '/') }, t('common.clear')) : null,
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'action-submit' }, icon(a ? 'check' : 'plus', 16), t(a ? 'common.save' : 'action.add'))));
}

const cut = (x) => { const v = String(x || '').replace(/\s+/g, ' '); return v.length > 60 ? v.slice(0, 59) + '…' : v; };

export function actionDialog(ctx, a, targetId) {
  const key = 'dialog/action/' + (a ? a.id : 'new/' + (targetId || ''));
  openDialog({
    title: t(a ? 'action.edit' : 'action.new'),
    testid: 'action-dialog',
    body: (d) => actionForm(ctx, a, targetId, 'action-dialog-form', () => d.close(), key),
    onClose: () => dropDrafts(ctx, key + '/'),
  });
}
