// photos.js — the meeting's photos (Dokumentasi, issue 14): an upload
// control for the facilitator and the notulis, and a thumbnail grid. The
// server checks every file (type by content, 8 MB, 30 a session); the page
// only reports its answers. Thumbnails need the bearer token, so they are
// fetched and shown as blob: URLs (the CSP allows blob: images). The photo
// state lives on ctx.photos, outside the board state; a change schedules
// the one render.
import { h } from '../dom.js';
import { t, errorText } from '../i18n.js';
import { toast } from '../ui/toast.js';

const base = (ctx) => `/api/sessions/${encodeURIComponent(ctx.sessionId)}/photos`;

function store(ctx) {
  if (!ctx.photos) ctx.photos = { list: null, thumbs: {}, busy: '', error: '' };
  return ctx.photos;
}

function changed(ctx, patch) {
  Object.assign(store(ctx), patch);
  ctx.schedule();
}

/** photoError turns a refusal into a sentence in the page's language. */
function photoError(status, code) {
  if (status === 413) return t('photos.err.tooLarge');
  if (status === 415 || code === 'invalid') return t('photos.err.notImage');
  if (status === 409) return t('photos.err.full');
  return errorText(code);
}

async function load(ctx) {
  const ps = store(ctx);
  ps.list = ps.list || [];
  try {
    const res = await fetch(base(ctx), { headers: { Authorization: 'Bearer ' + ctx.token } });
    if (!res.ok) return;
    const data = await res.json();
    changed(ctx, { list: data.photos || [] });
    for (const p of data.photos || []) {
      if (ps.thumbs[p.id]) continue;
      const r = await fetch(`${base(ctx)}/${encodeURIComponent(p.id)}/thumb`, { headers: { Authorization: 'Bearer ' + ctx.token } });
      if (r.ok) changed(ctx, { thumbs: { ...ps.thumbs, [p.id]: URL.createObjectURL(await r.blob()) } });
    }
  } catch (_) { /* offline: the grid stays as it was */ }
}

/** upload sends one file as the raw body, reporting progress (XHR: fetch has no upload progress). */
function upload(ctx, file, n, total) {
  return new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('POST', base(ctx));
    x.setRequestHeader('Authorization', 'Bearer ' + ctx.token);
    x.setRequestHeader('Content-Type', file.type === 'image/png' ? 'image/png' : 'image/jpeg');
    x.upload.onprogress = (e) => {
      const pct = e.lengthComputable ? Math.round((100 * e.loaded) / e.total) : 0;
      changed(ctx, { busy: t('photos.uploading', { n, total, pct }) });
    };
    x.onload = () => {
      if (x.status === 201) return resolve('');
      let code = '';
      try { code = JSON.parse(x.responseText).error.code; } catch (_) { /* keep */ }
      resolve(file.name + ': ' + photoError(x.status, code));
    };
    x.onerror = () => resolve(file.name + ': ' + errorText('network'));
    x.send(file);
  });
}

async function uploadAll(ctx, files) {
  const errs = [];
  for (let i = 0; i < files.length; i++) {
    const e = await upload(ctx, files[i], i + 1, files.length);
    if (e) errs.push(e);
  }
  changed(ctx, { busy: '', error: errs.join('\n') });
  if (!errs.length) toast(t('photos.added', { n: files.length }), 'ok');
  load(ctx);
}

async function remove(ctx, id) {
  const res = await fetch(`${base(ctx)}/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { Authorization: 'Bearer ' + ctx.token } }).catch(() => null);
  if (!res || !res.ok) return changed(ctx, { error: photoError(res ? res.status : 0, res ? '' : 'network') });
  const ps = store(ctx);
  if (ps.thumbs[id]) URL.revokeObjectURL(ps.thumbs[id]);
  changed(ctx, { list: ps.list.filter((p) => p.id !== id), error: '' });
}

/** photosView is the Dokumentasi section of the side panel (staff only). */
export function photosView(ctx, p) {
  if (!p.staff) return null;
  const ps = store(ctx);
  if (ps.list === null) queueMicrotask(() => load(ctx));
  const list = ps.list || [];
  return h('section', { class: 'photos', 'data-testid': 'photos', 'aria-labelledby': 'photos-h' },
    h('h3', { id: 'photos-h' }, t('photos.title'), ' ', h('span', { class: 'muted' }, `${list.length}/30`)),
    h('label', { class: 'btn btn-ghost btn-sm photos-pick' },
      t('photos.add'),
      h('input', {
        type: 'file', accept: 'image/jpeg,image/png', multiple: true, class: 'sr-only', 'data-testid': 'photo-input',
        disabled: !!ps.busy,
        onchange: (e) => { const fs = [...e.target.files]; e.target.value = ''; if (fs.length) uploadAll(ctx, fs); },
      })),
    h('p', { class: 'muted photos-help' }, t('photos.help')),
    ps.busy ? h('p', { role: 'status', 'data-testid': 'photo-progress' }, ps.busy) : null,
    ps.error ? h('p', { role: 'alert', class: 'photos-error', 'data-testid': 'photo-error' }, ps.error) : null,
    h('ul', { class: 'photo-grid' }, list.map((ph) => h('li', { key: ph.id },
      ps.thumbs[ph.id] ? h('img', { src: ps.thumbs[ph.id], alt: ph.caption || t('photos.alt'), width: 150 }) : h('span', { class: 'muted' }, t('common.loading')),
      h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'aria-label': t('photos.delete'), onclick: () => remove(ctx, ph.id) }, t('common.delete'))))));
}

/** photosChanged answers the server's "photos" frame (another staff page
 * added or deleted one): the list is read again when it was shown. */
export function photosChanged(ctx) {
  if (ctx.photos && ctx.photos.list !== null) load(ctx);
}
