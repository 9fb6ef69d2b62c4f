// sse-transport.js — the HTTP fallback for networks whose proxy blocks
// WebSockets: frames arrive by Server-Sent Events (the same JSON as the
// WebSocket's: a welcome, then every event and presence frame), commands go
// out by POST, one at a time, each answered by its ack or error frame.
// EventSource's own reconnect is not used: it would resume from the `since`
// of its first request, so every break ends the stream and conn.js opens a
// new one from the seq it has applied.

import { Transport, WELCOME_TIMEOUT } from './transport.js';

export class SseTransport extends Transport {
  /** on.frame(tr, msg) for every frame; on.close(tr, info) once, info = {code, welcomed, lived}. */
  constructor(sessionId, token, on) {
    super('http', sessionId, token, on);
    this.es = null;
  }

  start(since) {
    let url = `/api/sessions/${encodeURIComponent(this.sessionId)}/events?progress=1&token=${encodeURIComponent(this.token)}`;
    if (since != null) url += `&since=${encodeURIComponent(since)}`;
    let es;
    try {
      es = new EventSource(url);
    } catch (_) {
      setTimeout(() => this.end(0), 0);
      return;
    }
    this.es = es;
    this.timer = setTimeout(() => this.end(0), WELCOME_TIMEOUT);
    es.onmessage = (e) => {
      const msg = this.frame(e.data, () => this.end());
      // SSE has no close code: the server's last frame carries it (4008).
      if (msg && msg.type === 'error' && msg.close) this.end(msg.close);
    };
    // An error is a refused request, a dropped stream or the end of it.
    es.onerror = () => this.end(0);
  }

  get ready() {
    return !this.done && this.welcomed && !!this.es && this.es.readyState === EventSource.OPEN;
  }

  alive() {
    return !this.done && !!this.es && this.es.readyState !== EventSource.CLOSED;
  }

  detach() {
    const es = this.es;
    if (!es) return;
    es.onmessage = es.onerror = null;
    es.close();
  }
}

/** Transient: the command did not reach the server, or got no answer to trust; send it again later. */
export class Transient extends Error {}

/**
 * postCommand sends one command by POST and resolves with {ok, frame}: the
 * ack frame, or the error frame the server refused it with. It rejects with
 * Transient when the answer is not the server's word on this command
 * (no network, a proxy's error page, the server shutting down).
 */
export async function postCommand(sessionId, token, cmd) {
  let res;
  try {
    res = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/commands`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify(cmd),
      cache: 'no-store',
    });
  } catch (_) {
    throw new Transient('network');
  }
  let frame = null;
  try { frame = await res.json(); } catch (_) { frame = null; }
  if (res.ok && frame && frame.type === 'ack') return { ok: true, frame };
  const code = frame && (frame.code || (frame.error && frame.error.code));
  if (!code || code === 'unavailable' || res.status >= 502) throw new Transient(code || String(res.status));
  return { ok: false, frame: { type: 'error', ref: cmd.ref, message: '', ...frame, code } };
}

/** reachable tells whether the server answers HTTP at all (any status counts). */
export async function reachable(timeoutMs = 4000) {
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctl ? setTimeout(() => ctl.abort(), timeoutMs) : null;
  try {
    await fetch('/healthz', { cache: 'no-store', signal: ctl ? ctl.signal : undefined });
    return true;
  } catch (_) {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** authState asks the board endpoint whether the token still holds: 'ok', 'unauthorized' or 'unknown'. */
export async function authState(sessionId, token) {
  try {
    const res = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/board`, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
    if (res.status === 401 || res.status === 404) return 'unauthorized';
    return res.ok ? 'ok' : 'unknown';
  } catch (_) {
    return 'unknown';
  }
}
