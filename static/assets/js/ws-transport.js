// ws-transport.js — one WebSocket to a session: opens it, sends the hello
// (with `since`), hands every frame to its owner and reports how it ended.
// It never reconnects by itself; conn.js decides what comes next.

const OPEN_TIMEOUT = 4000; // the socket must open within this (a proxy may swallow it)
const WELCOME_TIMEOUT = 10000; // and the welcome follow within this
const SLOW_LINK = 25; // bytes per ms (25 kB/s): a big welcome announced by a loading frame gets this long more

export class WsTransport {
  /**
   * on.frame(tr, msg) for every frame; on.close(tr, info) once, with
   * info = {code, welcomed, lived (ms since the welcome), timedOut}.
   */
  constructor(sessionId, token, on) {
    this.kind = 'ws';
    this.sessionId = sessionId;
    this.token = token;
    this.on = on;
    this.ws = null;
    this.welcomed = false;
    this.welcomedAt = 0;
    this.timer = null;
    this.done = false;
  }

  start(since) {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      ws = new WebSocket(`${proto}//${location.host}/ws/sessions/${encodeURIComponent(this.sessionId)}`);
    } catch (_) {
      setTimeout(() => this.end(1006, false), 0);
      return;
    }
    this.ws = ws;
    this.timer = setTimeout(() => this.end(1006, true), OPEN_TIMEOUT);
    ws.onopen = () => {
      clearTimeout(this.timer);
      // progress: a big welcome is announced by {type:'loading', bytes}.
      const hello = { type: 'hello', token: this.token, progress: true };
      if (since != null) hello.since = since;
      try { ws.send(JSON.stringify(hello)); } catch (_) { /* onclose follows */ }
      this.timer = setTimeout(() => this.end(1006, true), WELCOME_TIMEOUT);
    };
    ws.onmessage = (e) => {
      if (this.done) return;
      let msg;
      try { msg = JSON.parse(e.data); } catch (_) { return; }
      if (msg.type === 'welcome' && !this.welcomed) {
        clearTimeout(this.timer);
        this.welcomed = true;
        this.welcomedAt = Date.now();
      }
      if (msg.type === 'loading' && !this.welcomed) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.end(1006, true), WELCOME_TIMEOUT + (msg.bytes || 0) / SLOW_LINK);
      }
      this.on.frame(this, msg);
    };
    ws.onclose = (e) => this.end(e.code, false);
    ws.onerror = () => { /* onclose follows */ };
  }

  /** ready: welcomed and still open, so a command sent now goes out. */
  get ready() {
    return !this.done && this.welcomed && this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  /** alive: not (known to be) dead; a phone that slept may have lost it silently. */
  alive() {
    return !this.done && !!this.ws && this.ws.readyState <= WebSocket.OPEN;
  }

  send(cmd) {
    if (!this.ready) return false;
    try {
      this.ws.send(JSON.stringify(cmd));
      return true;
    } catch (_) {
      return false;
    }
  }

  end(code, timedOut) {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.detach();
    this.on.close(this, { code, welcomed: this.welcomed, lived: this.welcomed ? Date.now() - this.welcomedAt : 0, timedOut });
  }

  /** close ends the socket without reporting it (the owner dropped it). */
  close() {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.detach();
  }

  detach() {
    const ws = this.ws;
    if (!ws) return;
    ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
    try { ws.close(this.welcomed ? 1000 : 4000); } catch (_) { /* ignore */ }
  }
}
