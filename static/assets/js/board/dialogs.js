// dialogs.js — the board's modal dialogs: settings and reveal, timer,
// minutes download, close session, add column, link picker, conclusion
// editor. They re-render live while open. The action editor lives in
// actions.js beside its form, so the two modules do not import each other.
import { h } from '../dom.js';
import { t, getLang, errorText } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { openDialog, confirmDialog, promptDialog } from '../ui/dialog.js';
import { toast } from '../ui/toast.js';
import { downloadMinutes } from '../download.js';
import { columns, hiddenCounts, label, targets } from './derive.js';
import { draftProps, dropDrafts } from './drafts.js';
import { saveRecord, savedRecord } from './records.js';
import { apklSettings } from './apkl.js';

function toggle(name, on, labelKey, hintKey, onChange) {
  return h('label', { class: 'switch-row', 'data-testid': 'setting-' + name },
    h('span', { class: 'switch-text' }, h('span', { class: 'switch-label' }, t(labelKey)), h('span', { class: 'switch-hint' }, t(hintKey))),
    h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: on, 'data-testid': 'setting-' + name + '-input', onchange: (e) => onChange(e.target.checked) }));
}

export function settingsDialog(ctx) {
  openDialog({
    title: t('settings.title'),
    testid: 'settings-dialog',
    body: () => {
      const s = ctx.state;
      const st = s.session.settings;
      const closed = s.session.closed;
      const hidden = hiddenCounts(s);
      const totalHidden = [...hidden.values()].reduce((a, b) => a + b, 0);
      const set = (k, v) => ctx.cmd('settings.update', { [k]: v });
      return [
        toggle('private', st.privateBrainstorm, 'settings.private', 'settings.privateHint', (v) => set('privateBrainstorm', v)),
        st.privateBrainstorm ? h('div', { class: 'reveal-box', 'data-testid': 'reveal-box' },
          h('p', { class: 'reveal-title' }, s.session.revealed ? t('reveal.done') : t('reveal.pending', { n: totalHidden })),
          totalHidden ? h('ul', { class: 'reveal-counts' }, columns(s).filter((c) => hidden.get(c.id)).map((c) => h('li', { key: c.id, 'data-testid': 'reveal-count', 'data-column-id': c.id }, h('span', null, c.title), h('strong', null, String(hidden.get(c.id)))))) : null,
          h('button', { type: 'button', class: 'btn btn-primary btn-sm', disabled: closed || s.session.revealed, 'data-testid': 'settings-reveal', onclick: () => revealDialog(ctx) }, icon('eye', 16), t('reveal.button'))) : null,
        toggle('anonymous', st.anonymous, 'settings.anonymous', 'settings.anonymousHint', (v) => set('anonymous', v)),
        toggle('showUnits', !!st.showUnits, 'settings.showUnits', 'settings.showUnitsHint', (v) => set('showUnits', v)),
        toggle('hideResults', !!st.hideResults, 'settings.hideResults', 'settings.hideResultsHint', (v) => set('hideResults', v)),
        toggle('locked', st.locked, 'settings.locked', 'settings.lockedHint', (v) => set('locked', v)),
        apklSettings(ctx),
        h('div', { class: 'switch-row' },
          h('span', { class: 'switch-text' }, h('span', { class: 'switch-label', id: 'votes-label' }, t('settings.votes')), h('span', { class: 'switch-hint' }, t('settings.votesHint'))),
          h('div', { class: 'stepper', role: 'group', 'aria-labelledby': 'votes-label' },
            h('button', { type: 'button', class: 'icon-btn icon-btn-sm', 'aria-label': t('settings.votesLess'), disabled: st.votesPerParticipant <= 0, 'data-testid': 'setting-votes-minus', onclick: () => set('votesPerParticipant', st.votesPerParticipant - 1) }, icon('minus', 16)),
            h('output', { class: 'stepper-value', 'data-testid': 'setting-votes' }, String(st.votesPerParticipant)),
            h('button', { type: 'button', class: 'icon-btn icon-btn-sm', 'aria-label': t('settings.votesMore'), disabled: st.votesPerParticipant >= 50, 'data-testid': 'setting-votes-plus', onclick: () => set('votesPerParticipant', st.votesPerParticipant + 1) }, icon('plus', 16)))),
      ];
    },
    footer: (d) => [h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'settings-done', onclick: () => d.close() }, t('common.done'))],
  });
}

/** revealDialog asks once before every hidden card is turned face up for
 * everyone: a reveal cannot be taken back. */
export async function revealDialog(ctx) {
  let n = 0;
  for (const c of hiddenCounts(ctx.state).values()) n += c;
  const ok = await confirmDialog(t('reveal.confirm', { n }), { title: t('reveal.button'), ok: t('reveal.button'), testid: 'reveal-dialog' });
  if (ok) ctx.cmd('notes.reveal');
}

export function timerDialog(ctx) {
  const start = (min) => {
    const sec = Math.round(min * 60);
    if (!(sec >= 1 && sec <= 7200)) { toast(t('timer.range'), 'error'); return false; }
    ctx.cmd('timer.start', { seconds: sec });
    return true;
  };
  openDialog({
    title: t('timer.title'),
    testid: 'timer-dialog',
    body: (d) => [
      h('p', { class: 'dlg-text' }, t('timer.help')),
      h('div', { class: 'preset-row' }, [1, 3, 5, 10, 15].map((m) => h('button', { key: 'm' + m, type: 'button', class: 'btn btn-ghost preset', 'data-testid': 'timer-preset-' + m, onclick: () => { if (start(m)) d.close(); } }, t('timer.min', { n: m })))),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('timer.custom')),
        h('input', { name: 'minutes', type: 'number', min: 1, max: 120, step: 1, defaultValue: '5', 'data-testid': 'timer-minutes', inputmode: 'numeric' })),
    ],
    footer: (d) => [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => d.close() }, t('common.cancel')),
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'timer-start' }, icon('play', 16), t('timer.start')),
    ],
    onSubmit: (fd, d) => { if (start(Number(fd.get('minutes')))) d.close(); },
  });
}

const FORMATS = ['pdf', 'docx', 'html', 'md', 'csv', 'json'];

export function minutesDialog(ctx) {
  let busy = false;
  // The minutes default to the session's language (chosen at creation),
  // not to the language this page happens to be shown in.
  const sl = ctx.state && ctx.state.session && ctx.state.session.lang;
  const lang = sl === 'id' || sl === 'en' ? sl : getLang();
  openDialog({
    title: t('minutes.title'),
    testid: 'minutes-dialog',
    body: () => [
      h('p', { class: 'dlg-text' }, t('minutes.help')),
      h('fieldset', { class: 'choice-grid' },
        h('legend', null, t('minutes.format')),
        FORMATS.map((f, i) => h('label', { key: f, class: 'choice' },
          h('input', { type: 'radio', name: 'format', value: f, 'data-testid': 'minutes-format-' + f, ref: (n) => { if (i === 0) n.checked = true; } }),
          h('span', { class: 'choice-name' }, f.toUpperCase()), h('span', { class: 'choice-hint' }, t('minutes.fmt.' + f))))),
      h('fieldset', { class: 'choice-row' },
        h('legend', null, t('minutes.lang')),
        ['id', 'en'].map((l) => h('label', { key: l, class: 'choice choice-inline' },
          h('input', { type: 'radio', name: 'lang', value: l, 'data-testid': 'minutes-lang-' + l, ref: (n) => { if (l === lang) n.checked = true; } }),
          h('span', { class: 'choice-name' }, t('lang.' + l))))),
    ],
    footer: (d) => [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => d.close() }, t('common.cancel')),
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'minutes-download' }, icon('download', 16), t('minutes.download')),
    ],
    onSubmit: async (fd, d) => {
      if (busy) return;
      busy = true;
      try {
        const name = await downloadMinutes(ctx.sessionId, ctx.token, fd.get('format') || 'pdf', fd.get('lang') || 'id');
        toast(t('minutes.saved', { name }), 'ok');
        d.close();
      } catch (e) {
        toast(errorText(e.code), 'error');
      } finally {
        busy = false;
      }
    },
  });
}

export async function closeSessionDialog(ctx) {
  if (await confirmDialog(t('close.confirm'), { title: t('close.title'), danger: true, ok: t('close.ok'), testid: 'close-dialog' })) ctx.cmd('session.close');
}

export function addColumnDialog(ctx) {
  promptDialog({
    title: t('column.add'), label: t('column.name'), ok: t('column.add'), testid: 'column-dialog',
    extra: () => h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('column.kind')),
      h('select', { name: 'kind', 'data-testid': 'column-kind-input' }, ['problem', 'cause', 'effect', 'innovation', 'other'].map((k) => h('option', { key: k, value: k }, t('kind.' + k))))),
  }).then((r) => { if (r) ctx.cmd('column.add', { title: r.text, kind: r.form.get('kind') || 'other' }); });
}

// LINK_KINDS says, per link kind, the column kinds of its two ends (the
// server's rule, board/links.go; the page only offers what it would accept).
const LINK_KINDS = {
  answers: { from: ['innovation'], to: ['problem', 'cause'] },
  cause: { from: ['cause', 'problem'], to: ['problem', 'cause'] },
  effect: { from: ['problem'], to: ['effect'] },
};

/** linkKindsFrom lists the link kinds a card in a column of kind k may start. */
export function linkKindsFrom(k) {
  return Object.keys(LINK_KINDS).filter((x) => LINK_KINDS[x].from.includes(k));
}

/** linkDialog links a card to others: the kind first (what it answers, what it causes, its effects), then the targets. */
export function linkDialog(ctx, fromId, firstKind) {
  let filter = '';
  let kind = firstKind;
  openDialog({
    title: t('link.pick'),
    testid: 'link-dialog',
    wide: true,
    body: (d) => {
      const s = ctx.state;
      if (!s.notes.has(fromId) && !s.groups.has(fromId)) return h('p', { class: 'empty' }, t('link.gone'));
      const from = s.notes.get(fromId) || s.groups.get(fromId);
      const col = s.columns.get(from.columnId);
      const kinds = linkKindsFrom(col ? col.kind : '');
      if (!kinds.includes(kind)) kind = kinds[0];
      const linked = new Map();
      for (const l of s.links.values()) if (l.fromId === fromId) linked.set(l.toId, l);
      const list = kind ? targets(s).filter((x) => x.id !== fromId && LINK_KINDS[kind].to.includes(x.column.kind) && (!filter || x.label.toLowerCase().includes(filter))) : [];
      return [
        h('p', { class: 'dlg-text' }, h('strong', null, t('kind.' + (col ? col.kind : 'other')) + ': '), label(s, fromId, 120)),
        kinds.length > 1 ? h('fieldset', { class: 'choice-row', 'data-testid': 'link-kinds' }, h('legend', null, t('link.kind')),
          kinds.map((k) => h('label', { key: k, class: 'choice' },
            h('input', { type: 'radio', name: 'link-kind', value: k, checked: kind === k, 'data-testid': 'link-kind-' + k, onchange: () => { kind = k; d.update(); } }),
            h('span', { class: 'choice-name' }, t('linkKind.' + k))))) : null,
        h('input', { type: 'search', class: 'search', placeholder: t('link.search'), 'aria-label': t('link.search'), 'data-testid': 'link-search',
          oninput: (e) => { filter = e.target.value.trim().toLowerCase(); d.update(); } }),
        list.length ? h('ul', { class: 'pick-list', 'data-testid': 'link-options' }, list.map((x) => {
          const l = linked.get(x.id);
          const other = l && (l.kind || 'answers') !== kind; // linked already, as another kind
          return h('li', { key: kind + x.id },
            h('label', { class: 'pick' },
              h('input', { type: 'checkbox', checked: !!l, disabled: other, 'data-testid': 'link-option', 'data-target-id': x.id,
                onchange: (e) => (e.target.checked ? ctx.cmd('link.add', { fromId, toId: x.id, kind }) : ctx.cmd('link.delete', { id: l.id })) }),
              h('span', { class: 'pick-text' }, h('span', { class: 'pick-col' }, x.column.title), (x.group ? '▣ ' : '') + x.label,
                other ? h('span', { class: 'pick-col' }, ' · ' + t('linkKind.' + (l.kind || 'answers'))) : null)));
        })) : h('p', { class: 'empty' }, t('link.none.' + (kind || 'answers'))),
      ];
    },
    footer: (d) => [h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'link-done', onclick: () => d.close() }, t('common.done'))],
  });
}

export function recordDialog(ctx, targetId) {
  const key = 'dialog/record/' + targetId;
  openDialog({
    title: t('record.write'),
    testid: 'record-dialog',
    body: () => [
      h('p', { class: 'dlg-text' }, label(ctx.state, targetId, 160)),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('record.label')),
        h('textarea', { name: 'text', rows: 6, maxlength: 5000, ...draftProps(ctx, key, savedRecord(ctx, targetId)), placeholder: t('record.placeholder'), 'data-testid': 'record-input', autofocus: true })),
    ],
    footer: (d) => [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => d.close() }, t('common.cancel')),
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'record-save' }, t('record.save')),
    ],
    onSubmit: (fd, d) => {
      saveRecord(ctx, targetId, key);
      d.close();
    },
    onClose: () => dropDrafts(ctx, key),
  });
}
