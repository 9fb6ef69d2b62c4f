// conn.js — the live connection of one session: the WebSocket, the hello /
// welcome handshake with `since`, automatic reconnect with backoff, and the
// outbox. Every command goes into the outbox (kept in localStorage) before
// it is sent; it leaves only on its ack or error, so what is typed offline,
// or whose ack was lost, goes out again on reconnect with its ORIGINAL ref
// and the server's ref de-duplication keeps it from being applied twice.
import { loadOutbox, saveOutbox } from './storage.js';

const WELCOME_TIMEOUT = 10000;
const MAX_BACKOFF = 15000;

/** newRef returns a unique ref; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newRef() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export class Conn {
  /**
   * handlers: welcome(msg), event(msg) → false when seq is out of order,
   * presence(msg), ack(msg, cmd), error(msg, cmd), status(s), fatal(reason),
   * seq() → last applied seq or null, outbox() (the list changed).
   */
  constructor(sessionId, token, handlers) {
    this.sessionId = sessionId;
    this.token = token;
    this.h = handlers;
    this.ws = null;
    this.welcomed = false;
    this.stopped = false;
    this.attempt = 0;
    this.timer = null;
    this.status = 'connecting';
    this.outbox = loadOutbox(sessionId);
    this.waiters = new Map();
    this.onOnline = () => { if (!this.stopped) this.reconnectNow(); };
    this.onOffline = () => this.setStatus('offline');
    // A phone that slept may have lost its socket without a close event.
    this.onVisible = () => {
      if (document.visibilityState === 'visible' && !this.stopped && (!this.ws || this.ws.readyState > WebSocket.OPEN)) this.reconnectNow();
    };
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try { ws.close(1000); } catch (_) { /* ignore */ }
    }
  }

  setStatus(s) {
    if (this.status === s) return;
    this.status = s;
    this.h.status(s);
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    if (navigator.onLine === false) this.setStatus('offline');
    else if (this.status !== 'connecting') this.setStatus('reconnecting');
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      ws = new WebSocket(`${proto}//${location.host}/ws/sessions/${encodeURIComponent(this.sessionId)}`);
    } catch (_) {
      this.schedule();
      return;
    }
    this.ws = ws;
    this.welcomed = false;
    ws.onopen = () => {
      const hello = { type: 'hello', token: this.token };
      const since = this.h.seq();
      if (since != null) hello.since = since;
      ws.send(JSON.stringify(hello));
      this.timer = setTimeout(() => { if (!this.welcomed) this.drop(ws); }, WELCOME_TIMEOUT);
    };
    ws.onmessage = (e) => this.receive(ws, e.data);
    ws.onclose = (e) => this.closed(ws, e.code);
    ws.onerror = () => { /* onclose follows */ };
  }

  drop(ws) {
    try { ws.close(4000, 'resync'); } catch (_) { /* ignore */ }
  }

  /** reconnectNow drops the socket and connects again at once (used to resync). */
  reconnectNow() {
    this.attempt = 0;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try { ws.close(4000, 'resync'); } catch (_) { /* ignore */ }
    }
    this.connect();
  }

  schedule() {
    if (this.stopped) return;
    const base = Math.min(MAX_BACKOFF, 500 * 2 ** this.attempt);
    this.attempt++;
    const delay = base * (0.7 + Math.random() * 0.6);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  closed(ws, code) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.welcomed = false;
    clearTimeout(this.timer);
    if (this.stopped) return;
    if (code === 4003) {
      this.stopped = true;
      this.h.fatal('removed');
      return;
    }
    if (code === 1008) {
      this.stopped = true;
      this.h.fatal('unauthorized');
      return;
    }
    this.setStatus(navigator.onLine === false ? 'offline' : 'reconnecting');
    this.schedule();
  }

  receive(ws, raw) {
    if (ws !== this.ws) return;
    let msg;
    try { msg = JSON.parse(raw); } catch (_) { return; }
    switch (msg.type) {
      case 'welcome':
        clearTimeout(this.timer);
        this.welcomed = true;
        this.attempt = 0;
        this.h.welcome(msg);
        this.setStatus('connected');
        this.flush();
        break;
      case 'event':
        if (this.h.event(msg) === false) this.reconnectNow();
        break;
      case 'presence':
        this.h.presence(msg);
        break;
      case 'ack':
        this.settle(msg, true);
        break;
      case 'error':
        if (msg.ref) this.settle(msg, false);
        else if (msg.code === 'unauthorized') { this.stopped = true; this.h.fatal('unauthorized'); }
        break;
      default:
        break;
    }
  }

  settle(msg, ok) {
    const i = this.outbox.findIndex((c) => c.ref === msg.ref);
    const cmd = i >= 0 ? this.outbox[i] : null;
    if (i >= 0) {
      this.outbox.splice(i, 1);
      saveOutbox(this.sessionId, this.outbox);
    }
    if (ok) this.h.ack(msg, cmd);
    else this.h.error(msg, cmd);
    const w = this.waiters.get(msg.ref);
    if (w) {
      this.waiters.delete(msg.ref);
      if (ok) w.resolve(msg);
      else w.reject(msg);
    }
    this.h.outbox();
  }

  flush() {
    for (const c of this.outbox) this.rawSend(c);
  }

  rawSend(cmd) {
    if (!this.ws || !this.welcomed || this.ws.readyState !== WebSocket.OPEN) return false;
    try {
      this.ws.send(JSON.stringify(cmd));
      return true;
    } catch (_) {
      return false;
    }
  }

  /** send queues cmd and sends it when connected; resolves with the ack, rejects with the error frame. */
  send(cmd) {
    const c = { ...cmd, ref: cmd.ref || newRef() };
    this.outbox.push(c);
    saveOutbox(this.sessionId, this.outbox);
    const p = new Promise((resolve, reject) => this.waiters.set(c.ref, { resolve, reject }));
    p.ref = c.ref;
    this.rawSend(c);
    this.h.outbox();
    return p;
  }

  pending() {
    return this.outbox;
  }
}
