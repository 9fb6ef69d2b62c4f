// ws-transport.js — one WebSocket to a session: opens it, sends the hello
// (with `since`), hands every frame to its owner and reports how it ended.
// It never reconnects by itself; conn.js decides what comes next.

import { Transport, WELCOME_TIMEOUT } from './transport.js';

const OPEN_TIMEOUT = 4000; // the socket must open within this (a proxy may swallow it)

export class WsTransport extends Transport {
  constructor(sessionId, token, on) {
    super('ws', sessionId, token, on);
    this.ws = null;
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
    ws.onmessage = (e) => this.frame(e.data, () => this.end(1006, true));
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

  detach() {
    const ws = this.ws;
    if (!ws) return;
    ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
    try { ws.close(this.welcomed ? 1000 : 4000); } catch (_) { /* ignore */ }
  }
}
