// reach.js — which address phones are given to join. A page opened as
// http://localhost:8080 would put "localhost" in the QR code and the copied
// link, which no phone can open. The server says (GET /api/addresses) its
// -public-url, or, to a page opened on the machine itself, the machine's
// LAN addresses; the facilitator picks one when there are several.
import { getPref, setPref } from '../storage.js';

/** isLoopback: a host only this machine can open. */
export function isLoopback(host) {
  const h = String(host || '').replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '::1';
}

/** loadAddresses asks the server once; the board re-renders when it answers. */
export function loadAddresses(ctx) {
  fetch('/api/addresses', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : null))
    .then((a) => {
      if (!a) return;
      ctx.reach = { publicUrl: a.publicUrl || '', lan: Array.isArray(a.lan) ? a.lan : [] };
      ctx.schedule();
    })
    .catch(() => { /* offline: the page's own origin stays */ });
}

/**
 * joinBase is {base, kind, lan}: the origin join links use. kind: 'public'
 * (-public-url), 'lan' (a LAN address instead of loopback), 'unreachable'
 * (loopback and nothing else known), or 'self' (the page's own origin).
 */
export function joinBase(ctx) {
  const r = ctx.reach || { publicUrl: '', lan: [] };
  if (r.publicUrl) return { base: r.publicUrl, kind: 'public', lan: [] };
  if (!isLoopback(location.hostname)) return { base: location.origin, kind: 'self', lan: [] };
  if (!r.lan.length) return { base: location.origin, kind: ctx.reach ? 'unreachable' : 'self', lan: [] };
  const picked = getPref('lanBase', '');
  return { base: r.lan.includes(picked) ? picked : r.lan[0], kind: 'lan', lan: r.lan };
}

/** pickLAN remembers the facilitator's choice of LAN address. */
export function pickLAN(ctx, base) {
  setPref('lanBase', base);
  ctx.schedule();
}

/** hostOf is an origin without its scheme, as people read it aloud. */
export const hostOf = (base) => String(base).replace(/^https?:\/\//, '');
