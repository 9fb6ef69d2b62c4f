// board.js — the board page's controller: owns the state, the connection
// and the local UI state; every change goes through schedule() → one
// render of view.js. Commands go out through ctx.cmd (outbox first).
import { render } from '../dom.js';
import { Conn } from '../conn.js';
import { fromSnapshot, applyEvent, applyPresence } from '../state.js';
import { getSession, saveSession, forgetSession, getPref, setPref } from '../storage.js';
import { t, errorText, onLangChange } from '../i18n.js';
import { toast } from '../ui/toast.js';
import { updateDialogs, closeAllDialogs } from '../ui/dialog.js';
import { closeMenu } from '../ui/menu.js';
import { boardView, gateView } from './view.js';
import { Ticker } from './timer.js';
import { defaultPanel } from './panels.js';
import { typingIn, dropDrafts } from './drafts.js';
import { loadAddresses } from './reach.js';
import { keeper } from './keep.js';
import { diagramEvent } from './diagram.js';
import { allowed } from './perm.js';
import { signDialog } from './signpad.js';
import { photosChanged } from './photos.js';
import { claimDevice } from './devices.js';

export function mountBoard(root, sessionId, app) {
  const saved = getSession(sessionId);
  // A link from this person's first device ("Buka di perangkat lain"):
  // the secret leaves the address bar at once; a browser already in the
  // session keeps its own token.
  const link = /[#&]perangkat=([A-Za-z0-9_-]{8,64})/.exec(location.hash);
  if (link) {
    history.replaceState(null, '', location.pathname);
    if (!saved || !saved.token) return claimDevice(root, sessionId, link[1], app);
  }
  if (!saved || !saved.token) {
    const draw = () => render(root, gateView('noAccess', app));
    draw();
    const off = onLangChange(draw);
    return { unmount: off };
  }

  const ctx = {
    sessionId,
    token: saved.token,
    saved,
    app,
    state: null,
    reach: null, // GET /api/addresses: where phones join (reach.js)
    status: 'connecting',
    loadingBytes: 0, // the size of a big welcome on its way
    fatal: null,
    acked: new Map(),
    seenRefs: new Map(),
    forceFull: false,
    ui: {
      panel: 'people',
      panelOpen: getPref('panelOpen', true),
      mobileView: 'board',
      composer: new Set(),
      color: getPref('color', 'yellow'),
      editing: null,
      selecting: false,
      selected: new Set(),
      usgDraft: new Map(),
      apklDraft: new Map(),
      apklFilter: 'all',
      // drafts: unsaved text by field (see drafts.js); never wiped by a render.
      drafts: new Map(),
      projector: false,
      flash: false,
      lastSpot: null,
    },
  };

  // The last board seen shows at once — the whole page after an offline
  // reload — and the connection resumes from its seq.
  const kept = keeper(sessionId, saved.participantId);
  ctx.state = kept.restore();

  let frame = 0;
  ctx.schedule = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  };

  function draw() {
    if (ctx.fatal) {
      render(root, gateView(ctx.fatal, app));
      return;
    }
    render(root, boardView(ctx));
    if (ctx.state) {
      document.title = `${ctx.state.session.title} · Rembuk`;
      kept.later(ctx.state);
    }
    updateDialogs();
    afterRender();
  }

  function afterRender() {
    const s = ctx.state;
    if (!s) return;
    // An open composer sticks to the top of its lane: scrolling a card into
    // view (after Tempel, a spotlight, a keyboard move) keeps clear of it.
    for (const body of root.querySelectorAll('.lane-body')) {
      const c = body.querySelector(':scope > .composer');
      const pad = c ? c.offsetHeight + 8 + 'px' : '';
      if (body.style.scrollPaddingTop !== pad) body.style.scrollPaddingTop = pad;
    }
    // reveal: {id, block} of a card or group to bring into view once.
    if (ctx.ui.reveal && !(ctx.ui.mobileView !== 'board' && window.innerWidth < 900)) {
      const { id, block } = ctx.ui.reveal;
      const card = root.querySelector(`[data-note-id="${CSS.escape(id)}"], [data-target-id="${CSS.escape(id)}"]`);
      ctx.ui.reveal = null;
      if (card) card.scrollIntoView({ block, inline: 'nearest' });
    }
    const spot = s.session.spotlight || null;
    if (spot && spot !== ctx.ui.lastSpot) {
      // Whoever watches the diagram sees the spotlight there (diagram.js).
      if (ctx.ui.mobileView !== 'board' && ctx.ui.panel !== 'diagram' && window.innerWidth < 900 && !typingIn(ctx, ctx.ui.panel, root)) {
        // Show the board first; the next render scrolls to the note.
        ctx.ui.mobileView = 'board';
        ctx.schedule();
        return;
      }
      const node = root.querySelector(`[data-target-id="${CSS.escape(spot)}"]`);
      if (node) node.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'center', inline: 'center' });
    }
    ctx.ui.lastSpot = spot;
    // A phase bar wider than the screen scrolls, so the keyboard must reach it
    // even when its steps are disabled buttons (a participant's).
    const phases = root.querySelector('.phases');
    if (phases) {
      const scrolls = phases.scrollWidth > phases.clientWidth + 1;
      if (scrolls !== phases.hasAttribute('tabindex')) {
        if (scrolls) phases.setAttribute('tabindex', '0');
        else phases.removeAttribute('tabindex');
      }
    }
    if (s.session.phase !== ctx.ui.lastPhase) {
      ctx.ui.lastPhase = s.session.phase;
      const bar = root.querySelector('.phases');
      const cur = bar && bar.querySelector('.phase-step.current');
      if (cur) bar.scrollLeft = Math.max(0, cur.parentNode.offsetLeft - (bar.clientWidth - cur.offsetWidth) / 2);
    }
  }

  // cmd sends a command through the outbox. The promise resolves with the
  // ack, or with null when the server refused it (the error toast is shown
  // by the error handler), so callers never see a rejection.
  ctx.cmd = (type, fields = {}) => {
    const p = ctx.conn.send({ type, ...fields }).then((ack) => ack, () => null);
    ctx.schedule();
    return p;
  };

  ctx.setUI = (patch) => {
    Object.assign(ctx.ui, patch);
    if ('panelOpen' in patch) setPref('panelOpen', patch.panelOpen);
    if ('color' in patch) setPref('color', patch.color);
    ctx.schedule();
  };

  const ticker = new Ticker(ctx, root);

  function onPhase(prev, next) {
    if (prev !== next) {
      // The tab that fits the phase, unless someone is typing in this one.
      if (!typingIn(ctx, ctx.ui.panel, root)) ctx.ui.panel = defaultPanel(next);
      ctx.ui.selecting = false;
      ctx.ui.selected.clear();
    }
  }

  const handlers = {
    seq: () => (ctx.forceFull || !ctx.state ? null : ctx.state.seq),
    loading(bytes) {
      ctx.loadingBytes = bytes;
      ctx.schedule();
    },
    welcome(msg) {
      ctx.forceFull = false;
      ctx.loadingBytes = 0;
      if (msg.board) {
        const prevPhase = ctx.state && ctx.state.session.phase;
        ctx.state = fromSnapshot(msg.board);
        if (ctx.ui.dg) ctx.ui.dg.stale = true;
        if (prevPhase !== ctx.state.session.phase) onPhase(prevPhase, ctx.state.session.phase);
        const se = ctx.state.session;
        saveSession(sessionId, { joinCode: se.joinCode || ctx.saved.joinCode, title: se.title, name: ctx.state.you.name, role: ctx.state.you.role, participantId: ctx.state.you.id });
      } else if (ctx.state) {
        if (msg.rules) ctx.state.rules = msg.rules;
        for (const ev of msg.events || []) {
          if (ev.seq <= ctx.state.seq) continue;
          if (ev.seq !== ctx.state.seq + 1) {
            ctx.forceFull = true;
            setTimeout(() => ctx.conn.reconnectNow(), 0);
            return;
          }
          applyOne(ev);
        }
      }
      ticker.sync();
      ctx.schedule();
    },
    event(msg) {
      const s = ctx.state;
      if (!s) return true;
      if (msg.seq <= s.seq) return true;
      if (msg.seq !== s.seq + 1) return false;
      applyOne(msg);
      ctx.schedule();
      return true;
    },
    photos() {
      photosChanged(ctx);
    },
    rejoin(msg) {
      ctx.rejoins = msg.requests || [];
      ctx.schedule();
    },
    merged() {
      // This person's row was merged (or merged into): the next welcome
      // must be a full board, since "you" may have changed.
      ctx.forceFull = true;
    },
    presence(msg) {
      if (!ctx.state) return;
      applyPresence(ctx.state, msg);
      ctx.schedule();
    },
    ack(msg, cmd) {
      ctx.seenRefs.delete(msg.ref);
      if (cmd && cmd.type === 'note.add' && msg.id && ctx.state && !ctx.state.notes.has(msg.id)) ctx.acked.set(msg.id, cmd);
      ctx.schedule();
    },
    error(msg) {
      ctx.seenRefs.delete(msg.ref);
      toast(errorText(msg.code), 'error');
      ctx.schedule();
    },
    status(st) {
      ctx.status = st;
      ctx.schedule();
    },
    fatal(reason) {
      // 'replaced' (4008): a newer tab of the same person took over; the
      // token stays, so a reload here works again.
      if (reason !== 'replaced') forgetSession(sessionId);
      closeAllDialogs();
      closeMenu();
      if (reason === 'unauthorized') {
        toast(t('gate.badToken'), 'error');
        app.navigate('/');
        return;
      }
      ctx.fatal = reason;
      ctx.schedule();
    },
    outbox() {
      ctx.schedule();
    },
  };

  function applyOne(ev) {
    const s = ctx.state;
    const prevPhase = s.session.phase;
    applyEvent(s, ev);
    if (ev.event === 'note.added') matchPending(ev);
    diagramEvent(ctx, ev);
    if (ev.event === 'phase.changed') onPhase(prevPhase, s.session.phase);
    if (ev.event === 'timer.changed') ticker.sync();
    if (ev.event === 'session.closed') {
      ticker.sync();
      toast(t('closed.toast'), 'info');
    }
    if (ev.event === 'participant.removed' && ev.data.id === s.you.id) {
      // Over the WebSocket a close with 4003 follows; the HTTP fallback's stream just ends.
      ctx.conn.stop();
      handlers.fatal('removed');
      return;
    }
    // The facilitator asks everyone to sign the attendance list: the pad
    // opens once per request, and closing it is enough to dismiss it.
    if (ev.event === 'attendance.requested' && ev.actorId !== s.you.id && allowed(s, 'participant.sign')) signDialog(ctx);
    if (ev.event === 'participant.changed' && ev.data.participant.id === s.you.id && ev.actorId !== s.you.id) {
      toast(t('role.changed.' + s.you.role), 'info');
    }
    for (const id of [...ctx.ui.selected]) if (!s.notes.has(id)) ctx.ui.selected.delete(id);
    if (ctx.ui.editing && !s.notes.has(ctx.ui.editing)) {
      dropDrafts(ctx, 'edit/' + ctx.ui.editing);
      ctx.ui.editing = null;
    }
  }

  // matchPending: the event of my own note.add can arrive before its ack;
  // the pending copy of that command is hidden from then on, so the note
  // never shows twice.
  function matchPending(ev) {
    const n = ev.data.note;
    const s = ctx.state;
    if (!n || n.hidden || !(ev.actorId === s.you.id || n.authorId === s.you.id)) return;
    const taken = new Set(ctx.seenRefs.values());
    if (taken.has(n.id)) return;
    const c = ctx.conn.pending().find((x) => x.type === 'note.add' && !ctx.seenRefs.has(x.ref) && x.columnId === n.columnId && String(x.text).trim() === n.text);
    if (c) ctx.seenRefs.set(c.ref, n.id);
  }

  loadAddresses(ctx);
  ctx.conn = new Conn(sessionId, ctx.token, handlers);
  ctx.conn.start();
  const offLang = onLangChange(() => ctx.schedule());
  const onResize = () => ctx.schedule();
  window.addEventListener('resize', onResize);
  draw();

  return {
    unmount() {
      kept.stop();
      ctx.conn.stop();
      ticker.stop();
      offLang();
      window.removeEventListener('resize', onResize);
      closeAllDialogs();
      closeMenu();
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
