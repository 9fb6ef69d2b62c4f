// progress.js — an action's place in the programme's register (rencana
// aksi): its status (belum / proses / selesai), area perubahan, origin (a
// monitoring session's copy of another session's action), progress notes
// and evidence links, and the controls to report progress. Who may report
// is the server's command table (action.progress: staff, and in a
// monitoring session the whole team); perm.js mirrors it.
import { h } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { openDialog } from '../ui/dialog.js';

export const STATUSES = ['belum', 'proses', 'selesai'];

/** statusOf is the action's status; one never given one follows done. */
export const statusOf = (a) => a.status || (a.done ? 'selesai' : 'belum');

/** progressView is the register part of an action item. */
export function progressView(ctx, p, a) {
  const st = statusOf(a);
  const notes = a.progress || [];
  return h('div', { class: 'action-reg' },
    h('p', { class: 'action-reg-meta' },
      h('span', { class: 'status-badge status-' + st, 'data-testid': 'action-status-badge', 'data-status': st }, t('status.' + st)),
      a.area ? h('span', { class: 'action-area' }, a.area) : null,
      a.origin ? h('span', { class: 'action-origin', 'data-testid': 'action-origin' }, t('action.origin', { title: a.origin.sessionTitle || '—' })) : null),
    notes.length ? h('ul', { class: 'progress-notes' }, notes.slice(-3).map((n) => h('li', { key: n.id },
      h('span', { class: 'progress-at' }, fmtDate((n.at || '').slice(0, 10))), ' ',
      n.status ? h('span', { class: 'status-badge status-' + n.status }, t('status.' + n.status)) : null, ' ',
      n.text || ''))) : null,
    (a.evidence || []).length ? h('p', { class: 'evidence' }, a.evidence.map((u, i) => h('a', { key: 'e' + i, href: u, target: '_blank', rel: 'noopener noreferrer' }, t('action.evidenceN', { n: i + 1 })))) : null,
    p.report ? h('div', { class: 'action-report' },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('action.status')),
        h('select', { 'data-testid': 'action-status', value: st, ref: (node) => { node.value = st; },
          onchange: (e) => ctx.cmd('action.progress', { id: a.id, status: e.target.value }) },
        STATUSES.map((x) => h('option', { key: x, value: x }, t('status.' + x))))),
      h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'action-report', onclick: () => reportDialog(ctx, a) }, t('action.report'))) : null);
}

function reportDialog(ctx, a) {
  openDialog({
    title: t('action.report'),
    testid: 'report-dialog',
    onSubmit: (fd, d) => {
      const fields = { id: a.id, text: String(fd.get('text') || '').trim() };
      const link = String(fd.get('evidence') || '').trim();
      if (link) fields.evidence = [link];
      if (fd.get('status')) fields.status = String(fd.get('status'));
      ctx.cmd('action.progress', fields);
      d.close();
    },
    body: () => h('div', { class: 'stack' },
      h('p', { class: 'muted' }, a.text),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('action.status')),
        h('select', { name: 'status', 'data-testid': 'report-status' },
          h('option', { value: '' }, t('action.statusSame')),
          STATUSES.map((x) => h('option', { key: x, value: x }, t('status.' + x))))),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('action.reportText')),
        h('textarea', { name: 'text', rows: 3, maxlength: 1000, 'data-testid': 'report-text' })),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('action.evidence')),
        h('input', { name: 'evidence', type: 'url', maxlength: 500, placeholder: 'https://', 'data-testid': 'report-evidence' }))),
    footer: (d) => [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => d.close() }, t('common.cancel')),
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'report-submit' }, t('action.reportSend')),
    ],
  });
}
