// timer.js — the countdown. The timer is an endsAt in server time; the
// page corrects its own clock by the snapshot's serverTime, so every screen
// shows the same seconds. At zero: a soft two-note chime (WebAudio) and a
// flash. The countdown text is written straight into the timer elements
// each 250 ms, without a full re-render.

let audio = null;

function unlockAudio() {
  const AC = window.AudioContext || window.webkitAudioContext;
  if (!AC) return;
  try {
    if (!audio) audio = new AC();
    if (audio.state === 'suspended') audio.resume();
  } catch (_) { /* no sound then */ }
}

export function chime() {
  unlockAudio();
  if (!audio) return;
  const now = audio.currentTime;
  [[880, 0], [660, 0.32]].forEach(([f, off]) => {
    const o = audio.createOscillator();
    const g = audio.createGain();
    o.type = 'sine';
    o.frequency.value = f;
    g.gain.setValueAtTime(0.0001, now + off);
    g.gain.exponentialRampToValueAtTime(0.18, now + off + 0.03);
    g.gain.exponentialRampToValueAtTime(0.0001, now + off + 0.6);
    o.connect(g).connect(audio.destination);
    o.start(now + off);
    o.stop(now + off + 0.65);
  });
}

/** fmtClock writes ms as m:ss (or h:mm:ss). */
export function fmtClock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** remaining is how long until the session's timer ends, in ms (null: no timer). */
export function remaining(state) {
  const tm = state && state.session.timer;
  if (!tm || !tm.endsAt) return null;
  return Date.parse(tm.endsAt) - (Date.now() + (state.clockOffset || 0));
}

export class Ticker {
  constructor(ctx, root) {
    this.ctx = ctx;
    this.root = root;
    this.iv = null;
    this.armed = false;
    this.unlock = () => unlockAudio();
    window.addEventListener('pointerdown', this.unlock, { once: true });
    window.addEventListener('keydown', this.unlock, { once: true });
  }

  sync() {
    const ms = remaining(this.ctx.state);
    if (ms == null) {
      this.armed = false;
      clearInterval(this.iv);
      this.iv = null;
      return;
    }
    this.armed = ms > 0;
    if (!this.iv) this.iv = setInterval(() => this.tick(), 250);
    this.tick();
  }

  tick() {
    const ms = remaining(this.ctx.state);
    if (ms == null) return;
    const text = fmtClock(ms);
    for (const node of this.root.querySelectorAll('[data-timer-text]')) {
      if (node.textContent !== text) node.textContent = text;
      node.closest('.timer')?.classList.toggle('timer-low', ms > 0 && ms <= 30000);
      node.closest('.timer')?.classList.toggle('timer-done', ms <= 0);
    }
    if (this.armed && ms <= 0) {
      this.armed = false;
      chime();
      this.ctx.setUI({ flash: true });
      setTimeout(() => this.ctx.setUI({ flash: false }), 2400);
    }
  }

  stop() {
    clearInterval(this.iv);
    window.removeEventListener('pointerdown', this.unlock);
    window.removeEventListener('keydown', this.unlock);
  }
}
