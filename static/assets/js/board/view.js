// view.js — the board's one render function: layout, banners, the
// selection bar, the mobile tab bar, the projector overlay, and the gate
// pages (no access, removed, loading).
import { h } from '../dom.js';
import { t, fmtTime, locale } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { qrURL, joinURL } from '../api.js';
import { perms } from './perm.js';
import { hiddenCounts, label } from './derive.js';
import { topbar, phasebar } from './topbar.js';
import { lanes } from './columns.js';
import { panel, PANELS } from './panels.js';
import { minutesDialog, revealDialog } from './dialogs.js';
import { promptDialog } from '../ui/dialog.js';
import { toast } from '../ui/toast.js';
import { draftProps, draftKeys, dropDraft, hasDraft } from './drafts.js';
import { saveRecord, savedRecord } from './records.js';
import { joinBase, hostOf } from './reach.js';
import { apklBar } from './apkl.js';
import { unitBar } from './units.js';
import { rejoinCard } from './devices.js';

export function boardView(ctx) {
  const s = ctx.state;
  if (!s) return loadingView(ctx);
  const p = perms(s);
  const narrow = window.innerWidth < 900;
  const showPanel = narrow ? ctx.ui.mobileView === 'panel' : ctx.ui.panelOpen;
  const cls = ['board-app', 'phase-' + s.session.phase];
  if (ctx.ui.flash) cls.push('flash');
  if (p.closed) cls.push('is-closed');
  if (narrow) cls.push('narrow', 'mview-' + ctx.ui.mobileView);
  if (showPanel) cls.push('with-panel');
  if (ctx.ui.apklFilter && ctx.ui.apklFilter !== 'all') cls.push('apkl-only-' + ctx.ui.apklFilter);
  return h('div', { key: 'board', class: cls.join(' '), 'data-testid': 'board', 'data-role': p.role, 'data-phase': s.session.phase, 'data-closed': String(p.closed) },
    topbar(ctx, p),
    phasebar(ctx, p),
    banners(ctx, p),
    unitBar(ctx),
    h('div', { class: 'workspace' },
      lanes(ctx, p),
      showPanel ? panel(ctx, p, narrow) : null),
    selectionBar(ctx, p),
    narrow ? mobileNav(ctx) : null,
    ctx.ui.projector ? projector(ctx) : null);
}

function banners(ctx, p) {
  const s = ctx.state;
  const se = s.session;
  const out = [];
  if (ctx.status === 'offline' || ctx.status === 'reconnecting') {
    out.push(h('div', { key: 'off', class: 'banner banner-warn', 'data-testid': 'banner-offline' }, icon('clock', 16), h('span', null, t(ctx.status === 'offline' ? 'banner.offline' : 'banner.reconnecting'))));
  }
  if (p.closed) {
    out.push(h('div', { key: 'closed', class: 'banner banner-closed', 'data-testid': 'banner-closed' },
      icon('lock', 16),
      h('span', null, t('banner.closed', { time: fmtTime(se.closedAt) })),
      p.staff ? h('button', { type: 'button', class: 'btn btn-sm btn-primary', 'data-testid': 'banner-minutes', onclick: () => minutesDialog(ctx) }, icon('download', 16), t('minutes.title')) : null));
  } else if (se.settings.locked) {
    out.push(h('div', { key: 'locked', class: 'banner banner-warn', 'data-testid': 'banner-locked' }, icon('lock', 16), h('span', null, t(p.fac ? 'banner.lockedFac' : 'banner.locked'))));
  }
  if (!p.closed && se.settings.privateBrainstorm && !se.revealed) {
    let n = 0;
    for (const c of hiddenCounts(s).values()) n += c;
    out.push(h('div', { key: 'priv', class: 'banner banner-private', 'data-testid': 'banner-private' },
      icon('eyeOff', 16),
      h('span', null, p.fac ? t('banner.privateFac', { n }) : t('banner.private')),
      p.fac ? h('button', { type: 'button', class: 'btn btn-sm btn-primary', 'data-testid': 'reveal-button', onclick: () => revealDialog(ctx) }, icon('eye', 16), t('reveal.button')) : null));
  }
  // Someone's second device waits for the facilitator (devices.js).
  const rj = rejoinCard(ctx);
  if (rj) out.push(rj);
  const apkl = apklBar(ctx);
  if (apkl) out.push(apkl);
  if (se.spotlight) out.push(spotlightBanner(ctx, p));
  // A conclusion typed for a card that is no longer in the spotlight stays
  // on screen until it is saved or discarded.
  if (p.staffEdit) {
    for (const k of draftKeys(ctx, 'spot/')) {
      const id = k.slice(5);
      if (id !== se.spotlight && (s.notes.has(id) || s.groups.has(id))) out.push(recordDraftBanner(ctx, id));
    }
  }
  return out.length ? h('div', { class: 'banners', role: 'region', 'aria-label': t('banner.region') }, out) : null;
}

function spotlightBanner(ctx, p) {
  const s = ctx.state;
  const id = s.session.spotlight;
  const rec = s.records.get(id);
  return h('div', { key: 'spot-' + id, class: 'banner banner-spot', 'data-testid': 'banner-spotlight' },
    h('div', { class: 'spot-head' },
      icon('star', 16),
      h('span', { class: 'spot-label' }, t('spot.now')),
      h('button', { type: 'button', class: 'spot-target', 'data-testid': 'spotlight-goto', onclick: () => { ctx.ui.lastSpot = null; ctx.ui.mobileView = 'board'; ctx.schedule(); } }, label(s, id, 120)),
      p.fac && !p.closed ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'spotlight-clear', onclick: () => ctx.cmd('spotlight.set', { targetId: null }) }, t('spot.clear')) : null),
    p.staffEdit
      ? spotRecordForm(ctx, id)
      : rec ? h('p', { class: 'spot-rec-text', 'data-testid': 'spotlight-record' }, h('strong', null, t('record.label') + ': '), rec.text) : null);
}

/** spotRecordForm is the conclusion field of a card, its text a draft until saved. */
function spotRecordForm(ctx, id) {
  const key = 'spot/' + id;
  const fid = 'spot-rec-' + id;
  return h('form', { class: 'spot-record', onsubmit: (e) => { e.preventDefault(); saveRecord(ctx, id, key); } },
    h('label', { class: 'sr-only', for: fid }, t('record.label')),
    h('textarea', { id: fid, name: 'text', rows: 2, maxlength: 5000, placeholder: t('record.placeholder'), ...draftProps(ctx, key, savedRecord(ctx, id)), 'data-testid': 'spotlight-record-input',
      onkeydown: (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); e.target.form.requestSubmit(); } } }),
    h('div', { class: 'spot-record-btns' },
      hasDraft(ctx, key) ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'spotlight-record-cancel', onclick: () => dropDraft(ctx, key) }, t('common.cancel')) : null,
      h('button', { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'spotlight-record-save' }, t('record.save'))));
}

/** recordDraftBanner holds an unsaved conclusion of a card that left the spotlight. */
function recordDraftBanner(ctx, id) {
  return h('div', { key: 'spot-draft-' + id, class: 'banner banner-spot banner-draft', 'data-testid': 'banner-record-draft', 'data-target-id-draft': id },
    h('div', { class: 'spot-head' },
      icon('edit', 16),
      h('span', { class: 'spot-label' }, t('record.unsaved')),
      h('span', { class: 'spot-target spot-target-static' }, label(ctx.state, id, 120))),
    spotRecordForm(ctx, id));
}

function selectionBar(ctx, p) {
  if (!ctx.ui.selecting) return null;
  const n = ctx.ui.selected.size;
  const create = async () => {
    const ids = [...ctx.ui.selected];
    const cols = new Set(ids.map((id) => (ctx.state.notes.get(id) || {}).columnId));
    if (!ids.length) return;
    if (cols.size !== 1) { toast(t('group.oneColumn'), 'error'); return; }
    const r = await promptDialog({ title: t('group.new'), label: t('group.name'), ok: t('group.create'), testid: 'group-dialog' });
    if (!r) return;
    ctx.cmd('group.add', { columnId: [...cols][0], title: r.text, noteIds: ids }).then((ack) => {
      if (!ack) return;
      ctx.ui.selected.clear();
      ctx.setUI({ selecting: false });
    });
  };
  return h('div', { class: 'selection-bar', 'data-testid': 'selection-bar', role: 'region', 'aria-label': t('group.selecting') },
    h('span', { 'data-testid': 'selection-count' }, t('group.selected', { n })),
    h('button', { type: 'button', class: 'btn btn-primary btn-sm', disabled: !n || !p.addGroup, 'data-testid': 'group-create', onclick: create }, icon('layers', 16), t('group.create')),
    h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'selection-cancel', onclick: () => { ctx.ui.selected.clear(); ctx.setUI({ selecting: false }); } }, t('common.cancel')));
}

function mobileNav(ctx) {
  const items = [{ id: 'board', icon: 'board' }, ...PANELS];
  const cur = ctx.ui.mobileView === 'board' ? 'board' : ctx.ui.panel;
  return h('nav', { class: 'mobile-nav', 'aria-label': t('panel.nav') },
    items.map((it) => h('button', {
      key: it.id, type: 'button', class: 'mnav-btn' + (cur === it.id ? ' current' : ''), 'data-testid': 'mnav-' + it.id,
      'aria-current': cur === it.id ? 'page' : null,
      onclick: () => (it.id === 'board' ? ctx.setUI({ mobileView: 'board' }) : ctx.setUI({ mobileView: 'panel', panel: it.id })),
    }, icon(it.icon, 20), h('span', null, t('tab.' + it.id)))));
}

function projector(ctx) {
  const se = ctx.state.session;
  const base = joinBase(ctx).base;
  const url = joinURL(se.joinCode || '', base);
  const online = [...ctx.state.participants.values()].filter((x) => x.online).length;
  return h('div', { class: 'projector', role: 'dialog', 'aria-modal': 'true', 'aria-label': t('invite.projector'), 'data-testid': 'projector',
    ref: (node) => setTimeout(() => node.querySelector('button')?.focus(), 0),
    onkeydown: (e) => { if (e.key === 'Escape') ctx.setUI({ projector: false }); } },
    h('button', { type: 'button', class: 'icon-btn projector-close', 'data-testid': 'projector-close', 'aria-label': t('common.close'), onclick: () => ctx.setUI({ projector: false }) }, icon('x', 28)),
    h('div', { class: 'projector-inner' },
      h('p', { class: 'projector-title' }, se.title),
      h('div', { class: 'projector-grid' },
        h('div', { class: 'projector-text' },
          h('p', { class: 'projector-step' }, t('invite.step1')),
          h('p', { class: 'projector-url', 'data-testid': 'projector-url' }, hostOf(base) + '/join'),
          h('p', { class: 'projector-step' }, t('invite.step2')),
          h('p', { class: 'projector-code', 'data-testid': 'projector-code', 'aria-label': t('invite.code') }, se.joinCode || ''),
          h('p', { class: 'projector-online' }, t('invite.online', { n: online }))),
        h('img', { class: 'projector-qr', src: qrURL(url), alt: t('invite.qrAlt', { url }), width: 360, height: 360 }))));
}

function loadingView(ctx) {
  return h('div', { class: 'gate', 'data-testid': 'board-loading' },
    h('div', { class: 'gate-card' },
      h('div', { class: 'spinner', 'aria-hidden': 'true' }),
      h('p', { class: 'gate-text', 'data-testid': 'board-loading-text' }, loadingText(ctx)),
      h('span', { class: 'conn conn-' + ctx.status, 'data-testid': 'conn-status', 'data-status': ctx.status, 'data-transport': ctx.conn.transport }, h('span', { class: 'conn-dot' }), t('conn.' + ctx.status))));
}

/** loadingText says what the page waits for; a big board says its size (a message arrives whole, so no finer progress). */
function loadingText(ctx) {
  if (ctx.status === 'offline') return t('banner.offline');
  if (!ctx.loadingBytes) return t('board.connecting');
  const mb = (ctx.loadingBytes / 1e6).toLocaleString(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return t('board.loadingBytes', { size: mb });
}

/** gateView is a full-page message: no access to this session, or removed from it. */
export function gateView(kind, app) {
  return h('div', { class: 'gate', 'data-testid': 'gate-' + kind },
    h('div', { class: 'gate-card' },
      h('span', { class: 'brand-mark brand-mark-lg', 'aria-hidden': 'true' }, 'R'),
      h('h1', { class: 'gate-title' }, t(`gate.${kind}.title`)),
      h('p', { class: 'gate-text' }, t(`gate.${kind}.text`)),
      h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'gate-home', onclick: () => app.navigate('/') }, t('gate.home'))));
}
