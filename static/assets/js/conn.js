// conn.js — the live connection of one session. It keeps the outbox and
// chooses the transport: a WebSocket (ws-transport.js) when it works, else
// the HTTP fallback (sse-transport.js: events by Server-Sent Events,
// commands by POST) when a WebSocket cannot open within a few seconds or
// keeps dropping while the server answers HTTP. On the fallback it tries a
// WebSocket again in the background every minute (and when the network
// changes) and switches back when one is welcomed.
//
// Every command goes into the outbox (kept in localStorage) before it is
// sent; it leaves only on its ack or error, so what is typed offline, or
// whose ack was lost, or was under way when the transport changed, goes out
// again with its ORIGINAL ref (the server's ref de-duplication keeps it from
// being applied twice). A command is under way on at most one transport at
// a time. Events of every transport pass through one handler that applies
// them in seq order and resyncs on a gap.
import { loadOutbox, saveOutbox, getPref, setPref } from './storage.js';
import { WsTransport } from './ws-transport.js';
import { SseTransport, postCommand, reachable, authState } from './sse-transport.js';

const MAX_BACKOFF = 15000;
const SHORT_LIVED = 15000; // a WebSocket that drops sooner than this after its welcome counts as failed
const WS_FAILS = 3; // failed WebSockets in a row (the server answering HTTP) that make the page fall back
const PROBE_EVERY = 60000; // on the fallback, try a WebSocket in the background this often
const REMEMBER = 10 * 60000; // a fallback this recent starts the next page load on HTTP
const WS_WINDOW = 20; // commands under way on a socket at once (the server allows bursts of 40)
const RETRY_CODES = new Set(['rate_limited', 'unavailable']);

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
   * loading(bytes) (a big welcome is on its way),
   * seq() → last applied seq or null, outbox() (the list changed).
   */
  constructor(sessionId, token, handlers) {
    this.sessionId = sessionId;
    this.token = token;
    this.h = handlers;
    this.stopped = false;
    this.welcomedOnce = false;
    this.status = 'connecting';
    this.mode = Date.now() - (getPref('fallbackAt', 0) || 0) < REMEMBER ? 'http' : 'ws';
    this.live = null; // the transport in use
    this.probe = null; // a background WebSocket while on the fallback
    this.wsFails = 0;
    this.attempt = 0;
    this.timer = null;
    this.probeTimer = null;
    this.retryTimer = null;
    this.retries = 0;
    this.posting = false;
    this.gen = 0;
    this.inflight = new Map(); // ref → 'ws' | 'http': under way, not to be sent again for now
    this.outbox = loadOutbox(sessionId);
    this.waiters = new Map();
    this.on = { frame: (tr, m) => this.frame(tr, m), close: (tr, info) => this.closed(tr, info) };
    this.onOnline = () => {
      if (this.stopped) return;
      if (!this.ready) this.reconnectNow();
      if (this.mode === 'http') this.probeNow();
    };
    this.onOffline = () => this.setStatus('offline');
    // A phone that slept may have lost its connection without a close event.
    this.onVisible = () => {
      if (document.visibilityState === 'visible' && !this.stopped && (!this.live || !this.live.alive())) this.reconnectNow();
    };
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  start() {
    this.connect();
    this.scheduleProbe();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.probeTimer);
    clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
    for (const tr of [this.live, this.probe]) if (tr) tr.close();
    this.live = this.probe = null;
  }

  /** ready: a transport is welcomed and takes commands now. */
  get ready() {
    return !!this.live && this.live.ready;
  }

  /** transport: 'ws' or 'http' (the fallback), the one in use or being tried. */
  get transport() {
    return this.mode;
  }

  setStatus(s, force = false) {
    if (this.status === s && !force) return;
    this.status = s;
    this.h.status(s);
  }

  /** waitingStatus is the status while no transport is welcomed. */
  waitingStatus() {
    if (navigator.onLine === false) return 'offline';
    return this.welcomedOnce ? 'reconnecting' : 'connecting';
  }

  fatal(reason) {
    this.stop();
    this.h.fatal(reason);
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    if (this.live) this.drop(this.live);
    this.setStatus(this.waitingStatus());
    const tr = this.mode === 'ws' ? new WsTransport(this.sessionId, this.token, this.on) : new SseTransport(this.sessionId, this.token, this.on);
    this.live = tr;
    tr.start(this.h.seq());
  }

  /** drop closes a transport without treating it as a failure. */
  drop(tr) {
    tr.close();
    if (tr === this.live) {
      this.live = null;
      this.forgetInflight(tr.kind);
    }
  }

  forgetInflight(kind) {
    // A POST under way still gets its answer; only a closed socket loses its commands.
    if (kind !== 'ws') return;
    for (const [ref, k] of this.inflight) if (k === 'ws') this.inflight.delete(ref);
  }

  /** reconnectNow drops the transport and connects again at once (used to resync). */
  reconnectNow() {
    if (this.stopped) return;
    this.attempt = 0;
    this.gen++;
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

  frame(tr, msg) {
    if (tr === this.probe) {
      if (msg.type === 'welcome') this.adopt(tr, msg);
      return;
    }
    if (tr !== this.live || this.stopped) return;
    switch (msg.type) {
      case 'welcome':
        this.attempt = 0;
        this.welcomedOnce = true;
        this.h.welcome(msg);
        this.setStatus('connected', true);
        this.resume();
        break;
      case 'event':
        if (this.h.event(msg) === false) this.reconnectNow();
        break;
      case 'presence':
        this.h.presence(msg);
        break;
      case 'photos':
        if (this.h.photos) this.h.photos(msg);
        break;
      case 'rejoin':
        if (this.h.rejoin) this.h.rejoin(msg);
        break;
      case 'loading':
        if (this.h.loading) this.h.loading(msg.bytes);
        break;
      case 'ack':
        this.inflight.delete(msg.ref);
        this.retries = 0;
        this.settle(msg, true);
        this.flush();
        break;
      case 'error':
        if (!msg.ref) {
          if (msg.code === 'unauthorized') this.fatal('unauthorized');
          break;
        }
        this.inflight.delete(msg.ref);
        // Too fast, or the server cannot store now: nothing was applied; the
        // command stays in the outbox and goes again a little later.
        if (RETRY_CODES.has(msg.code)) this.retryLater();
        else { this.settle(msg, false); this.flush(); }
        break;
      default:
        break;
    }
  }

  closed(tr, info) {
    if (tr === this.probe) { this.probe = null; return; }
    if (tr !== this.live) return;
    this.live = null;
    this.forgetInflight(tr.kind);
    if (this.stopped) return;
    if (info.code === 4003) { this.fatal('removed'); return; }
    // 4008: this person opened a ninth connection and this one, the oldest, was closed.
    if (info.code === 4008) { this.fatal('replaced'); return; }
    if (info.code === 1008) { this.fatal('unauthorized'); return; }
    // 4009: the facilitator merged this person's row; the same token now
    // names the surviving row: reconnect at once for a full board.
    if (info.code === 4009) {
      if (this.h.merged) this.h.merged();
      this.reconnectNow();
      return;
    }
    this.setStatus(this.waitingStatus());
    if (info.welcomed && info.lived >= SHORT_LIVED) {
      this.attempt = 0;
      if (tr.kind === 'ws') this.wsFails = 0;
    }
    const gen = ++this.gen;
    const still = () => !this.stopped && gen === this.gen && !this.live;
    if (tr.kind === 'ws') {
      // 1001: the server is restarting; 1013: this client fell behind. Neither is the network's fault.
      if ((info.welcomed && info.lived >= SHORT_LIVED) || info.code === 1001 || info.code === 1013) { this.schedule(); return; }
      // Only a WebSocket that fails while the server answers HTTP counts
      // towards the fallback; a server that is away is waited for.
      reachable().then((ok) => {
        if (!still()) return;
        if (!ok) { this.schedule(); return; }
        this.wsFails++;
        if (info.timedOut || this.wsFails >= WS_FAILS) { this.fallBack(); return; }
        // The server is there: retry soon, not after the backoff of its absence.
        this.attempt = this.wsFails - 1;
        this.schedule();
      });
      return;
    }
    if (info.welcomed) { this.schedule(); return; }
    // The stream was refused or never started: a removed participant or a
    // forgotten session gets 401/404, which EventSource does not tell.
    authState(this.sessionId, this.token).then((st) => {
      if (!still()) return;
      if (st === 'unauthorized') this.fatal('unauthorized');
      else this.schedule();
    });
  }

  /** fallBack switches to HTTP: events by SSE from the applied seq, commands by POST. */
  fallBack() {
    this.mode = 'http';
    this.wsFails = 0;
    this.attempt = 0;
    setPref('fallbackAt', Date.now());
    this.connect();
    this.setStatus(this.status, true);
    this.scheduleProbe();
  }

  scheduleProbe() {
    clearTimeout(this.probeTimer);
    if (this.stopped || this.mode !== 'http') return;
    this.probeTimer = setTimeout(() => this.probeNow(), PROBE_EVERY);
  }

  /** probeNow opens a WebSocket in the background; its welcome makes it the transport. */
  probeNow() {
    if (this.stopped || this.mode !== 'http') return;
    this.scheduleProbe();
    if (this.probe) return;
    this.probe = new WsTransport(this.sessionId, this.token, this.on);
    this.probe.start(this.h.seq());
  }

  /** adopt makes a welcomed background WebSocket the transport and closes the SSE stream. */
  adopt(tr, msg) {
    this.probe = null;
    clearTimeout(this.probeTimer);
    clearTimeout(this.timer);
    if (this.live) this.drop(this.live);
    this.live = tr;
    this.mode = 'ws';
    this.wsFails = 0;
    this.attempt = 0;
    setPref('fallbackAt', null);
    // The welcome's events after `since` may overlap what the stream
    // already applied; the handler skips seqs it has.
    this.h.welcome(msg);
    this.setStatus('connected', true);
    this.resume();
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

  /** flush sends what waits and is not under way, through the transport in use. */
  flush() {
    const tr = this.live;
    // A pause after rate_limited or unavailable holds everything, in order.
    if (!tr || !tr.ready || this.stopped || this.retryTimer) return;
    if (tr.kind === 'http') { this.pump(); return; }
    let n = 0;
    for (const k of this.inflight.values()) if (k === 'ws') n++;
    for (const c of this.outbox) {
      if (n >= WS_WINDOW) break;
      if (!this.inflight.has(c.ref) && tr.send(c)) { this.inflight.set(c.ref, 'ws'); n++; }
    }
  }

  /** resume sends what waits at once on a new connection (a pause from the old one is over). */
  resume() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.flush();
  }

  /** retryLater sends what waits again after a growing pause. */
  retryLater() {
    if (this.retryTimer || this.stopped) return;
    this.retries++;
    const delay = Math.min(MAX_BACKOFF, 500 * 2 ** Math.min(this.retries, 5)) * (0.7 + Math.random() * 0.6);
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.flush(); }, delay);
  }

  /** pump posts the outbox one command at a time, in order, while the fallback is in use. */
  pump() {
    const tr = this.live;
    if (this.posting || !tr || tr.kind !== 'http' || !tr.ready) return;
    const c = this.outbox.find((x) => !this.inflight.has(x.ref));
    if (!c) return;
    this.posting = true;
    this.inflight.set(c.ref, 'http');
    postCommand(this.sessionId, this.token, c).then((r) => {
      this.posting = false;
      this.inflight.delete(c.ref);
      if (this.stopped) return;
      if (!r.ok && r.frame.code === 'unauthorized') { this.fatal('unauthorized'); return; }
      if (!r.ok && RETRY_CODES.has(r.frame.code)) { this.retryLater(); return; }
      this.retries = 0;
      this.settle(r.frame, r.ok);
      this.flush();
    }, () => {
      // No answer to trust (network, proxy): the same command, same ref, later.
      this.posting = false;
      this.inflight.delete(c.ref);
      if (!this.stopped) this.retryLater();
    });
  }

  /** send queues cmd and sends it when connected; resolves with the ack, rejects with the error frame. */
  send(cmd) {
    const c = { ...cmd, ref: cmd.ref || newRef() };
    this.outbox.push(c);
    saveOutbox(this.sessionId, this.outbox);
    const p = new Promise((resolve, reject) => this.waiters.set(c.ref, { resolve, reject }));
    p.ref = c.ref;
    this.flush();
    this.h.outbox();
    return p;
  }

  pending() {
    return this.outbox;
  }
}
