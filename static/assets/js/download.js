// download.js — streamed downloads with progress: an evidence pack (a
// zip the server writes file by file) is read as it arrives, its files
// counted from their local headers, and saved when complete.
import { h } from './dom.js';
import { t, getLang, errorText } from './i18n.js';
import { toast } from './ui/toast.js';
import { ApiError, codeFor, fileName } from './api.js';

/** packProgress shows a pack download's progress (prog: {running, files,
 * total, bytes, name}); nothing before the first download. */
export function packProgress(prog) {
  if (!prog.running && !prog.files) return null;
  return h('div', { class: 'pack-progress', role: 'status', 'data-testid': 'pack-progress', 'data-files': String(prog.files), 'data-total': String(prog.total), 'data-bytes': String(prog.bytes) },
    h('progress', { max: prog.total || 1, value: prog.files, 'aria-label': t('pack.title') }),
    h('span', null, t('pack.progress', { files: prog.files, total: prog.total || '?', size: fmtSize(prog.bytes) })),
    prog.name ? h('span', { class: 'pack-current' }, prog.name) : null);
}

function fmtSize(n) {
  return (n / 1048576).toLocaleString(getLang() === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + ' MB';
}

/**
 * downloadPack fetches a pack as a stream, reports {files, total, bytes,
 * name} as it arrives (total from the X-Pack-Files header), and saves it.
 */
export async function downloadPack(url, token, onProgress) {
  const res = await get(url, token);
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
  saveBlob(new Blob(chunks, { type: 'application/zip' }), name);
  return name;
}

/**
 * savePack downloads a pack with its progress in prog (draw() after each
 * change) and says in a toast what was saved, or why not.
 */
export async function savePack(prog, url, token, draw) {
  if (prog.running) return;
  Object.assign(prog, { running: true, files: 0, total: 0, bytes: 0, name: '' });
  draw();
  try {
    const name = await downloadPack(url, token, (p) => { Object.assign(prog, p); draw(); });
    toast(t('minutes.saved', { name }), 'ok');
  } catch (e) {
    toast(errorText(e.code), 'error');
  } finally {
    prog.running = false;
    draw();
  }
}

/** downloadFile fetches one file with the bearer token and saves it under the server's name. */
export async function downloadFile(url, token, fallback = 'rembuk') {
  const res = await get(url, token);
  const name = fileName(res.headers.get('Content-Disposition')) || fallback;
  saveBlob(await res.blob(), name);
  return name;
}

/** downloadMinutes fetches the minutes and saves them under the server's file name. */
export const downloadMinutes = (id, token, format, lang) => downloadFile(
  `/api/sessions/${encodeURIComponent(id)}/minutes?format=${encodeURIComponent(format)}&lang=${encodeURIComponent(lang)}`, token, `notulen.${format}`);

async function get(url, token) {
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
  return res;
}

function saveBlob(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
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
