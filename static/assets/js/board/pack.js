// pack.js — the evidence pack (paket data dukung): the facilitator's
// "Undangan" form (the invitation letter's fields, invitation.set) and the
// pack download, streamed with its progress: the server sends the zip file
// by file, and the page counts the files as their local headers arrive.
import { h } from '../dom.js';
import { t, getLang, errorText } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { openDialog } from '../ui/dialog.js';
import { toast } from '../ui/toast.js';
import { ApiError, codeFor, fileName } from '../api.js';
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
      prog.running || prog.files ? h('div', { class: 'pack-progress', role: 'status', 'data-testid': 'pack-progress', 'data-files': String(prog.files), 'data-total': String(prog.total), 'data-bytes': String(prog.bytes) },
        h('progress', { max: prog.total || 1, value: prog.files, 'aria-label': t('pack.title') }),
        h('span', null, t('pack.progress', { files: prog.files, total: prog.total || '?', size: fmtSize(prog.bytes) })),
        prog.name ? h('span', { class: 'pack-current' }, prog.name) : null) : null,
    ],
    footer: (d) => [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => d.close() }, t('common.cancel')),
      h('button', { type: 'submit', class: 'btn btn-primary', disabled: prog.running, 'data-testid': 'pack-download' }, icon('download', 16), t('pack.download')),
    ],
    onSubmit: async (fd, d) => {
      if (prog.running) return;
      Object.assign(prog, { running: true, files: 0, total: 0, bytes: 0, name: '' });
      d.update();
      try {
        const url = `/api/sessions/${encodeURIComponent(ctx.sessionId)}/pack?lang=${encodeURIComponent(fd.get('lang') || lang)}`;
        const name = await downloadPack(url, ctx.token, (p) => { Object.assign(prog, p); d.update(); });
        toast(t('minutes.saved', { name }), 'ok');
      } catch (e) {
        toast(errorText(e.code), 'error');
      } finally {
        prog.running = false;
        d.update();
      }
    },
  });
}

function fmtSize(n) {
  return (n / 1048576).toLocaleString(getLang() === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + ' MB';
}

/**
 * downloadPack fetches a pack as a stream, reports {files, total, bytes,
 * name} as it arrives (total from the X-Pack-Files header), and saves it.
 */
export async function downloadPack(url, token, onProgress) {
  let res;
  try {
    res = await fetch(url, { headers: { Authorization: 'Bearer ' + token } });
  } catch (_) {
    throw new ApiError(0, 'network');
  }
  if (!res.ok) {
    let code = codeFor(res.status);
    try { code = (await res.json()).error.code || code; } catch (_) { /* keep */ }
    throw new ApiError(res.status, code);
  }
  const total = Number(res.headers.get('X-Pack-Files')) || 0;
  const walker = new ZipWalker();
  const chunks = [];
  let bytes = 0;
  const reader = res.body.getReader();
  for (;;) {
    let r;
    try { r = await reader.read(); } catch (_) { throw new ApiError(0, 'network'); }
    if (r.done) break;
    chunks.push(r.value);
    bytes += r.value.length;
    walker.feed(r.value);
    onProgress({ files: walker.files, total, bytes, name: walker.name });
  }
  if (!walker.ended) throw new ApiError(0, 'network'); // cut short: no central directory
  const name = fileName(res.headers.get('Content-Disposition')) || 'paket-data-dukung.zip';
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob(chunks, { type: 'application/zip' }));
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  return name;
}

/**
 * ZipWalker follows a zip as it streams in: each entry's local header
 * carries its sizes (the server writes no data descriptors), so the walker
 * skips the data and counts a file once its last byte has arrived. The
 * central directory ends the files.
 */
export class ZipWalker {
  constructor() {
    this.files = 0;
    this.name = '';
    this.ended = false;
    this.head = new Uint8Array(0);
    this.need = 30;
    this.skip = 0;
    this.stage = 'head';
  }

  feed(chunk) {
    let i = 0;
    while (i < chunk.length && !this.ended) {
      if (this.stage === 'data') {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        if (this.skip === 0) this.fileDone();
        continue;
      }
      const n = Math.min(this.need - this.head.length, chunk.length - i);
      const next = new Uint8Array(this.head.length + n);
      next.set(this.head);
      next.set(chunk.subarray(i, i + n), this.head.length);
      this.head = next;
      i += n;
      if (this.head.length < this.need) break;
      const dv = new DataView(this.head.buffer);
      if (this.stage === 'head') {
        if (dv.getUint32(0, true) !== 0x04034b50) { this.ended = true; break; }
        this.size = dv.getUint32(18, true);
        this.extra = dv.getUint16(28, true);
        this.need = 30 + dv.getUint16(26, true);
        this.stage = 'name';
      }
      if (this.stage === 'name' && this.head.length >= this.need) {
        this.name = new TextDecoder().decode(this.head.subarray(30, this.need));
        this.skip = this.extra + this.size;
        this.stage = 'data';
        if (this.skip === 0) this.fileDone();
      }
    }
  }

  fileDone() {
    this.files++;
    this.stage = 'head';
    this.head = new Uint8Array(0);
    this.need = 30;
  }
}
