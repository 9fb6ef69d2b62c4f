// transport.js — what the two transports share (ws-transport.js, the
// WebSocket; sse-transport.js, the HTTP fallback): the state of one
// connection, the welcome's deadline, the reading of a frame, and how it
// ends. A subclass opens its connection in start() and drops it in detach().

export const WELCOME_TIMEOUT = 10000;
const SLOW_LINK = 25; // bytes per ms (25 kB/s): a big welcome announced by a loading frame gets this long more

export class Transport {
  /**
   * on.frame(tr, msg) for every frame; on.close(tr, info) once, with
   * info = {code, welcomed, lived (ms since the welcome), timedOut}.
   */
  constructor(kind, sessionId, token, on) {
    this.kind = kind;
    this.sessionId = sessionId;
    this.token = token;
    this.on = on;
    this.welcomed = false;
    this.welcomedAt = 0;
    this.timer = null;
    this.done = false;
  }

  /**
   * frame reads one frame's text and hands it on; the welcome stops the
   * clock, a loading frame gives it more time (late() when it runs out).
   * It returns the frame, or null when there is none.
   */
  frame(data, late) {
    if (this.done) return null;
    let msg;
    try { msg = JSON.parse(data); } catch (_) { return null; }
    if (msg.type === 'welcome' && !this.welcomed) {
      clearTimeout(this.timer);
      this.welcomed = true;
      this.welcomedAt = Date.now();
    }
    if (msg.type === 'loading' && !this.welcomed) {
      clearTimeout(this.timer);
      this.timer = setTimeout(late, WELCOME_TIMEOUT + (msg.bytes || 0) / SLOW_LINK);
    }
    this.on.frame(this, msg);
    return msg;
  }

  end(code = 0, timedOut = false) {
    if (this.done) return;
    this.close();
    this.on.close(this, { code, welcomed: this.welcomed, lived: this.welcomed ? Date.now() - this.welcomedAt : 0, timedOut });
  }

  /** close ends the connection without reporting it (the owner dropped it). */
  close() {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.detach();
  }
}
