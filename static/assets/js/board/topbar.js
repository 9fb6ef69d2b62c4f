// topbar.js — the board's header (title, join code, timer, votes left,
// connection state, menus) and the phase bar with one line of guidance.
import { h } from '../dom.js';
import { t, has, getLang, setLang } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { openMenu } from '../ui/menu.js';
import { votesLeft } from '../state.js';
import { remaining, fmtClock } from './timer.js';
import { settingsDialog, timerDialog, minutesDialog, closeSessionDialog } from './dialogs.js';
import { invitationDialog, packDialog } from './pack.js';
import { deviceLinkDialog } from './devices.js';

export const PHASES = ['brainstorm', 'group', 'screen', 'vote', 'discuss', 'actions'];

/** phasesOf is the stepper's steps: APKL's "screen" only while it is on (or current). */
export function phasesOf(se) {
  const on = !!(se.settings && se.settings.apkl && se.settings.apkl.enabled);
  return PHASES.filter((ph) => ph !== 'screen' || on || se.phase === 'screen');
}

export function topbar(ctx, p) {
  const s = ctx.state;
  const se = s.session;
  const narrow = window.innerWidth < 900;
  return h('header', { class: 'topbar' },
    // The link's name is its text, "Rembuk" (only hidden from sight on a phone).
    h('a', { class: 'brand', href: '/', title: t('app.home'), onclick: (e) => { e.preventDefault(); ctx.app.navigate('/'); } },
      h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'R'),
      h('span', { class: narrow ? 'brand-name sr-only' : 'brand-name' }, 'Rembuk')),
    h('div', { class: 'title-block' },
      h('h1', { class: 'session-title', 'data-testid': 'session-title', title: se.title }, se.title),
      h('div', { class: 'session-meta' },
        se.joinCode ? h('button', {
          type: 'button', class: 'code-chip', 'data-testid': 'topbar-code',
          'aria-label': t('invite.showCode', { code: se.joinCode }),
          onclick: () => ctx.setUI({ projector: true }),
        }, icon('qr', 14), h('span', null, se.joinCode)) : null,
        narrow ? null : h('span', { class: 'role-badge role-' + p.role, 'data-testid': 'my-role' }, t('role.' + p.role)),
        narrow ? null : h('span', { class: 'me-name' }, s.you.name))),
    h('div', { class: 'top-actions' },
      timerChip(ctx, p),
      se.phase === 'vote' && (se.settings.votesPerParticipant || 0) > 0 && !se.closed
        ? h('span', { class: 'votes-left', 'data-testid': 'votes-left', 'data-left': votesLeft(s) },
          h('span', { class: 'dot-icon', 'aria-hidden': 'true' }),
          narrow ? String(votesLeft(s)) : t('vote.left', { n: votesLeft(s), max: se.settings.votesPerParticipant }))
        : null,
      connStatus(ctx, narrow),
      p.fac && !se.closed && !narrow ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'open-settings', onclick: () => settingsDialog(ctx) }, icon('settings'), t('settings.title')) : null,
      !narrow ? h('button', { type: 'button', class: 'icon-btn', 'data-testid': 'toggle-panel', 'aria-pressed': String(!!ctx.ui.panelOpen), 'aria-label': t('panel.toggle'), onclick: () => ctx.setUI({ panelOpen: !ctx.ui.panelOpen }) }, icon('board')) : null,
      // Its name starts with what it shows ("EN"), so voice control finds it.
      h('button', { type: 'button', class: 'icon-btn lang-btn', 'data-testid': 'lang-toggle', 'aria-label': `${getLang() === 'id' ? 'EN' : 'ID'} — ${t('lang.switch')}`, onclick: () => setLang(getLang() === 'id' ? 'en' : 'id') }, getLang() === 'id' ? 'EN' : 'ID'),
      h('button', { type: 'button', class: 'icon-btn', 'data-testid': 'more-menu', 'aria-haspopup': 'menu', 'aria-label': t('menu.more'), onclick: (e) => moreMenu(ctx, p, e.currentTarget) }, icon('more'))));
}

function timerChip(ctx, p) {
  const ms = remaining(ctx.state);
  if (ms == null) {
    if (!p.fac || p.closed || window.innerWidth < 900) return null;
    return h('button', { type: 'button', class: 'btn btn-ghost btn-sm timer-start', 'data-testid': 'timer-open', onclick: () => timerDialog(ctx) }, icon('clock'), window.innerWidth < 900 ? null : t('timer.title'));
  }
  return h('div', { class: 'timer' + (ms <= 0 ? ' timer-done' : ''), 'data-testid': 'timer', role: 'timer', 'aria-label': t('timer.title') },
    icon('clock', 16),
    h('span', { class: 'timer-text', 'data-timer-text': '', 'data-testid': 'timer-text', unmanaged: true }, fmtClock(ms)),
    p.fac && !p.closed ? h('button', { type: 'button', class: 'timer-stop', 'data-testid': 'timer-stop', 'aria-label': t('timer.stop'), onclick: () => ctx.cmd('timer.stop') }, icon('stop', 14)) : null);
}

function connStatus(ctx, narrow) {
  const st = ctx.status;
  const waiting = ctx.conn.pending().length;
  // The HTTP fallback (a proxy blocks WebSockets) says so: it is slower, and
  // an IT desk helping by phone wants to know.
  const http = ctx.conn.transport === 'http';
  const label = t(http && st === 'connected' ? 'conn.connectedHttp' : 'conn.' + st);
  return h('span', { class: 'conn conn-' + st + (http ? ' conn-http' : ''), 'data-testid': 'conn-status', 'data-status': st, 'data-transport': ctx.conn.transport, role: 'status', title: http ? label + ' — ' + t('conn.httpHint') : label, 'aria-label': label },
    h('span', { class: 'conn-dot', 'aria-hidden': 'true' }),
    narrow ? (http ? h('span', { class: 'conn-mode', 'data-testid': 'conn-mode', 'aria-hidden': 'true' }, 'HTTP') : null) : h('span', { class: 'conn-label' }, label),
    waiting ? h('span', { class: 'conn-pending', 'data-testid': 'outbox-count' }, t('conn.waiting', { n: waiting })) : null);
}

function moreMenu(ctx, p, anchor) {
  const narrow = window.innerWidth < 900;
  openMenu(anchor, [
    p.fac && !p.closed && narrow ? { label: t('settings.title'), testid: 'menu-settings', onSelect: () => settingsDialog(ctx) } : null,
    p.fac && !p.closed ? { label: t('timer.title'), testid: 'menu-timer', onSelect: () => timerDialog(ctx) } : null,
    { label: t('invite.projector'), testid: 'menu-projector', onSelect: () => ctx.setUI({ projector: true }) },
    !p.closed ? { label: t('device.open'), testid: 'menu-device', onSelect: () => deviceLinkDialog(ctx) } : null,
    p.staff ? { label: t('minutes.title'), testid: 'menu-minutes', onSelect: () => minutesDialog(ctx) } : null,
    p.staff ? { label: t('pack.title'), testid: 'menu-pack', onSelect: () => packDialog(ctx, p.fac) } : null,
    p.fac && !p.closed ? { label: t('invitation.title'), testid: 'menu-invitation', onSelect: () => invitationDialog(ctx) } : null,
    p.fac && !p.closed ? { separator: true } : null,
    p.fac && !p.closed ? { label: t('close.title'), testid: 'menu-close-session', danger: true, onSelect: () => closeSessionDialog(ctx) } : null,
    { separator: true },
    { label: t('app.home'), testid: 'menu-home', onSelect: () => ctx.app.navigate('/') },
  ], { title: t('menu.more'), testid: 'more-menu-list' });
}

export function phasebar(ctx, p) {
  const se = ctx.state.session;
  const steps = phasesOf(se);
  const cur = steps.indexOf(se.phase);
  const canSet = p.fac && !p.closed;
  const guideKey = `guide.${se.phase}.${p.fac ? 'fac' : p.role === 'notulis' && has(`guide.${se.phase}.notulis`) ? 'notulis' : 'part'}`;
  const next = steps[cur + 1];
  return h('nav', { class: 'phasebar', 'aria-label': t('phase.label'), 'data-testid': 'phasebar' },
    h('ol', { class: 'phases', tabindex: canSet ? null : '0' },
      steps.map((ph, i) => h('li', { key: ph, class: 'phase-item' },
        h('button', {
          type: 'button',
          class: 'phase-step' + (i === cur ? ' current' : '') + (i < cur ? ' done' : ''),
          'data-testid': 'phase-' + ph,
          'aria-current': i === cur ? 'step' : null,
          disabled: !canSet || i === cur,
          onclick: () => ctx.cmd('phase.set', { phase: ph }),
        }, h('span', { class: 'phase-num', 'aria-hidden': 'true' }, i < cur ? '✓' : String(i + 1)), h('span', { class: 'phase-name' }, t('phase.' + ph)))))),
    h('div', { class: 'guidance-row' },
      h('p', { class: 'guidance', 'data-testid': 'guidance' },
        h('strong', null, t('phase.' + se.phase) + ' · '),
        t(guideKey, { n: votesLeft(ctx.state) })),
      canSet && next ? h('button', { type: 'button', class: 'btn btn-primary btn-sm', 'data-testid': 'phase-next', onclick: () => ctx.cmd('phase.set', { phase: next }) }, t('phase.next', { name: t('phase.' + next) }), icon('arrow', 16)) : null));
}
