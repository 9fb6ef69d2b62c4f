// pack.js — the evidence pack (paket data dukung): the facilitator's
// "Undangan" form (the invitation letter's fields, invitation.set) and the
// pack download, streamed with its progress: the server sends the zip file
// by file, and the page counts the files as their local headers arrive.
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { openDialog } from '../ui/dialog.js';
import { toast } from '../ui/toast.js';
import { savePack, packProgress } from '../download.js';
import { draftProps, draftOf, dropDrafts } from './drafts.js';

// The invitation's fields: name, limit (as the server's board/invitation.go),
// multi-line.
const FIELDS = [
  ['number', 100], ['nature', 40], ['attachment', 80], ['subject', 200], ['to', 1000, true],
  ['place', 200], ['agenda', 1000, true], ['signerTitle', 120], ['signerName', 80], ['signerNip', 40],
];
const KEY = 'dialog/invitation/';

/** invitationDialog is the facilitator's "Undangan" form. */
export function invitationDialog(ctx) {
  openDialog({
    title: t('invitation.title'),
    testid: 'invitation-dialog',
    body: () => {
      const se = ctx.state.session;
      const saved = se.invitation || {};
      const hint = { place: se.place, agenda: se.agenda };
      return [
        h('p', { class: 'dlg-text' }, t('invitation.help')),
        FIELDS.map(([name, max, multi]) => h('label', { key: name, class: 'field' },
          h('span', { class: 'field-label' }, t('invitation.' + name)),
          h(multi ? 'textarea' : 'input', {
            name, maxlength: max, rows: multi ? 3 : null, type: multi ? null : 'text', autocomplete: 'off',
            placeholder: hint[name] ? String(hint[name]).split('\n')[0] : t('invitation.' + name + 'Hint'),
            'data-testid': 'invitation-' + name, ...draftProps(ctx, KEY + name, saved[name] || ''),
          }))),
      ];
    },
    footer: (d) => [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { dropDrafts(ctx, KEY); d.close(); } }, t('common.cancel')),
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'invitation-save' }, icon('check', 16), t('common.save')),
    ],
    onSubmit: async (_, d) => {
      const saved = ctx.state.session.invitation || {};
      const invitation = {};
      for (const [name] of FIELDS) invitation[name] = draftOf(ctx, KEY + name, saved[name] || '').trim();
      const ack = await ctx.cmd('invitation.set', { invitation });
      if (!ack) return; // the error toast says why; the form keeps what was typed
      dropDrafts(ctx, KEY);
      toast(t('invitation.saved'), 'ok');
      d.close();
    },
  });
}

/** packDialog downloads the session's evidence pack, showing its progress. */
export function packDialog(ctx, fac) {
  const sl = ctx.state.session.lang;
  const lang = sl === 'id' || sl === 'en' ? sl : getLang();
  const prog = { running: false, files: 0, total: 0, bytes: 0, name: '' };
  openDialog({
    title: t('pack.title'),
    testid: 'pack-dialog',
    body: (d) => [
      h('p', { class: 'dlg-text' }, t('pack.help')),
      h('ul', { class: 'pack-list' }, ['letter', 'attendance', 'minutes', 'photos', 'actions', 'readme'].map((k) => h('li', { key: k }, t('pack.file.' + k)))),
      fac && !ctx.state.session.closed ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'pack-invitation', onclick: () => { d.close(); invitationDialog(ctx); } }, t('invitation.title')) : null,
      h('fieldset', { class: 'choice-row' },
        h('legend', null, t('pack.lang')),
        ['id', 'en'].map((l) => h('label', { key: l, class: 'choice choice-inline' },
          h('input', { type: 'radio', name: 'lang', value: l, 'data-testid': 'pack-lang-' + l, ref: (n) => { if (l === lang && !n.dataset.set) { n.checked = true; n.dataset.set = '1'; } } }),
          h('span', { class: 'choice-name' }, t('lang.' + l))))),
      packProgress(prog),
    ],
    footer: (d) => [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => d.close() }, t('common.cancel')),
      h('button', { type: 'submit', class: 'btn btn-primary', disabled: prog.running, 'data-testid': 'pack-download' }, icon('download', 16), t('pack.download')),
    ],
    onSubmit: (fd, d) => savePack(prog, `/api/sessions/${encodeURIComponent(ctx.sessionId)}/pack?lang=${encodeURIComponent(fd.get('lang') || lang)}`,
      ctx.token, () => d.update()),
  });
}
