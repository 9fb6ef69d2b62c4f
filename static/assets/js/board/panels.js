// panels.js — the side panel (a tab of its own on a phone): people with the
// invite card, the USG ranking, conclusions, and follow-up actions.
import { h } from '../dom.js';
import { t, fmtTime, fmtNum } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { toast } from '../ui/toast.js';
import { qrURL, joinURL } from '../api.js';
import { ranking, label } from './derive.js';
import { byUnitToggle, byUnitRows } from './units.js';
import { personMenu } from './menus.js';
import { actionsView } from './actions.js';
import { recordDialog } from './dialogs.js';
import { draftProps, hasDraft, dropDraft } from './drafts.js';
import { saveRecord, savedRecord } from './records.js';
import { joinBase, pickLAN, hostOf } from './reach.js';
import { joiningControls } from './joining.js';
import { diagramView } from './diagram.js';
import { allowed, resultsHidden } from './perm.js';
import { signDialog } from './signpad.js';
import { photosView } from './photos.js';

export const PANELS = [
  { id: 'people', icon: 'users' },
  { id: 'rank', icon: 'chart' },
  { id: 'notes', icon: 'message' },
  { id: 'actions', icon: 'actions' },
  { id: 'diagram', icon: 'diagram' },
];

/** defaultPanel is the tab that fits a phase. */
export function defaultPanel(phase) {
  return { vote: 'rank', discuss: 'notes', actions: 'actions' }[phase] || 'people';
}

export function panel(ctx, p, narrow) {
  const cur = ctx.ui.panel;
  return h('aside', { class: 'panel' + (cur === 'diagram' ? ' panel-wide' : ''), 'data-testid': 'panel', 'aria-label': t('panel.' + cur) },
    narrow ? null : h('div', { class: 'panel-tabs', role: 'tablist' },
      PANELS.map((it) => h('button', {
        key: it.id, type: 'button', role: 'tab', class: 'panel-tab' + (cur === it.id ? ' current' : ''), 'aria-selected': String(cur === it.id),
        'data-testid': 'tab-' + it.id, onclick: () => ctx.setUI({ panel: it.id }),
      }, icon(it.icon, 16), h('span', null, t('tab.' + it.id))))),
    h('div', { class: 'panel-body', role: 'tabpanel' },
      cur === 'people' ? peopleView(ctx, p) : null,
      cur === 'rank' ? rankingView(ctx, p) : null,
      cur === 'notes' ? conclusionsView(ctx, p) : null,
      cur === 'notes' ? photosView(ctx, p) : null,
      cur === 'actions' ? actionsView(ctx, p) : null,
      cur === 'diagram' ? diagramView(ctx, p) : null));
}

function inviteCard(ctx, p) {
  const code = ctx.state.session.joinCode;
  if (!code) return null;
  const reach = joinBase(ctx);
  const url = joinURL(code, reach.base);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      toast(t('invite.copied'), 'ok');
    } catch (_) {
      toast(url, 'info', 8000);
    }
  };
  return h('section', { class: 'invite' + (p.fac ? ' invite-fac' : ''), 'data-testid': 'invite' },
    h('div', { class: 'invite-text' },
      h('p', { class: 'invite-label' }, t('invite.code')),
      h('p', { class: 'invite-code', 'data-testid': 'join-code' }, code),
      h('p', { class: 'invite-url', 'data-testid': 'invite-url' }, hostOf(reach.base) + '/join/' + code),
      h('div', { class: 'invite-btns' },
        h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'copy-link', onclick: copy }, icon('link', 14), t('invite.copy')),
        h('button', { type: 'button', class: 'btn btn-primary btn-sm', 'data-testid': 'projector-toggle', 'aria-pressed': String(!!ctx.ui.projector), onclick: () => ctx.setUI({ projector: true }) }, icon('monitor', 14), t('invite.projector'))),
      joiningControls(ctx, p)),
    p.fac ? h('img', { class: 'invite-qr', src: qrURL(url), alt: t('invite.qrAlt', { url }), width: 132, height: 132, 'data-testid': 'join-qr' }) : null,
    reachNote(ctx, p, reach));
}

/** reachNote says why the link is not this page's address, or that phones cannot reach it. */
function reachNote(ctx, p, reach) {
  if (reach.kind === 'unreachable') {
    return h('p', { class: 'invite-reach invite-warn', role: 'note', 'data-testid': 'invite-unreachable' }, t('invite.unreachable', { host: location.host }));
  }
  if (reach.kind !== 'lan') return null;
  return h('div', { class: 'invite-reach', 'data-testid': 'invite-lan' },
    h('p', null, t('invite.viaLan', { host: location.host })),
    p.fac && reach.lan.length > 1 ? h('label', { class: 'invite-pick' },
      h('span', null, t('invite.lanPick')),
      h('select', { 'data-testid': 'invite-lan-pick', value: reach.base, ref: (n) => { n.value = reach.base; }, onchange: (e) => pickLAN(ctx, e.target.value) },
        reach.lan.map((u) => h('option', { key: u, value: u }, hostOf(u))))) : null);
}

function peopleView(ctx, p) {
  const s = ctx.state;
  const list = [...s.participants.values()].sort((a, b) => roleRank(a.role) - roleRank(b.role) || (b.online - a.online) || a.name.localeCompare(b.name));
  const online = list.filter((x) => x.online).length;
  return [
    inviteCard(ctx, p),
    h('h2', { class: 'panel-h' }, t('people.title'), h('span', { class: 'panel-h-count', 'data-testid': 'online-count' }, t('people.online', { n: online, total: list.length }))),
    attendanceBar(ctx, list),
    h('ul', { class: 'people', 'data-testid': 'participants' },
      list.map((x) => h('li', { key: x.id, class: 'person' + (x.online ? ' online' : ''), 'data-testid': 'participant', 'data-participant-id': x.id, 'data-online': String(!!x.online), 'data-role': x.role },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(x.name), h('span', { class: 'presence-dot' })),
        h('span', { class: 'person-text' },
          h('span', { class: 'person-name' }, x.name, x.id === s.you.id ? h('span', { class: 'you-tag' }, t('people.you')) : null),
          h('span', { class: 'person-sub' }, [x.jabatan, x.unit, x.online ? t('people.isOnline') : t('people.isOffline')].filter(Boolean).join(' · '))),
        x.signed ? h('span', { class: 'signed-tick', 'data-testid': 'signed-tick', title: t('sign.signed'), 'aria-label': t('sign.signed') }, icon('check', 16)) : null,
        x.role !== 'participant' ? h('span', { class: 'role-badge role-' + x.role }, t('role.' + x.role)) : null,
        p.facEdit && x.role !== 'facilitator' ? h('button', { type: 'button', class: 'icon-btn icon-btn-sm', 'data-testid': 'participant-menu', 'aria-haspopup': 'menu', 'aria-label': t('people.menu', { name: x.name }), onclick: (e) => personMenu(ctx, x, e.currentTarget) }, icon('more', 16)) : null))),
  ];
}

// attendanceBar: the viewer signs (or signs again), and the facilitator asks
// everyone to sign; it counts who has signed.
function attendanceBar(ctx, list) {
  const s = ctx.state;
  const me = s.participants.get(s.you.id);
  const mine = allowed(s, 'participant.sign');
  const ask = allowed(s, 'attendance.request');
  if (!mine && !ask) return null;
  const signed = list.filter((x) => x.signed).length;
  return h('div', { class: 'attendance-bar', 'data-testid': 'attendance-bar' },
    h('span', { class: 'attendance-count', 'data-testid': 'signed-count' }, t('sign.count', { n: signed, total: list.length })),
    mine ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'sign-open', onclick: () => signDialog(ctx) }, icon('edit', 16), me && me.signed ? t('sign.again') : t('sign.open')) : null,
    ask ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'attendance-request', onclick: () => { ctx.cmd('attendance.request'); toast(t('sign.requested'), 'info'); } }, t('sign.request')) : null);
}

const roleRank = (r) => ({ facilitator: 0, notulis: 1 }[r] ?? 2);

function initials(name) {
  const parts = String(name || '?').trim().split(/\s+/).slice(0, 2);
  return parts.map((x) => [...x][0] || '').join('').toUpperCase();
}

const f1 = (x) => fmtNum(x, true);

/** showOnBoard brings a ranked item into view on the board; the
 * facilitator's click also spotlights it for everyone. */
function showOnBoard(ctx, p, id) {
  if (p.facEdit && ctx.state.session.spotlight !== id) ctx.cmd('spotlight.set', { targetId: id });
  ctx.ui.reveal = { id, block: 'center' };
  if (window.innerWidth < 900) ctx.ui.mobileView = 'board';
  ctx.schedule();
}

function rankingView(ctx, p) {
  const s = ctx.state;
  if (resultsHidden(s)) {
    return [
      h('h2', { class: 'panel-h' }, t('rank.title')),
      h('p', { class: 'panel-note', 'data-testid': 'results-hidden' }, t('rank.hidden')),
    ];
  }
  const rows = ranking(s);
  return [
    h('h2', { class: 'panel-h' }, t('rank.title')),
    h('p', { class: 'panel-note' }, t('rank.help')),
    rows.length ? byUnitToggle(ctx) : null,
    rows.length
      ? h('div', { class: 'table-wrap' },
        h('table', { class: 'rank-table', 'data-testid': 'ranking' },
          h('thead', null, h('tr', null,
            h('th', { scope: 'col' }, '#'), h('th', { scope: 'col', class: 'left' }, t('rank.problem')),
            h('th', { scope: 'col', title: t('usg.u') }, 'U'), h('th', { scope: 'col', title: t('usg.s') }, 'S'), h('th', { scope: 'col', title: t('usg.g') }, 'G'),
            h('th', { scope: 'col', title: t('usg.total') }, t('rank.total')),
            h('th', { scope: 'col', title: t('rank.raters') }, icon('users', 13), h('span', { class: 'sr-only' }, t('rank.raters'))),
            h('th', { scope: 'col', title: t('rank.votes') }, h('span', { class: 'dot-icon', 'aria-hidden': 'true' }), h('span', { class: 'sr-only' }, t('rank.votes'))))),
          // A row click (or its button, by keyboard) shows the item on the board.
          h('tbody', null, rows.flatMap((r, i) => [h('tr', { key: r.id, 'data-testid': 'ranking-row', 'data-target-id-row': r.id, class: 'rank-row' + (s.session.spotlight === r.id ? ' spot-row' : ''), onclick: () => showOnBoard(ctx, p, r.id) },
            h('td', { class: 'rank-n' }, String(i + 1)),
            h('td', { class: 'left rank-label' },
              h('button', { type: 'button', class: 'rank-goto', 'data-testid': 'ranking-goto', title: t(p.facEdit ? 'rank.spotlight' : 'rank.goto'),
                onclick: (e) => { e.stopPropagation(); showOnBoard(ctx, p, r.id); } }, r.group ? icon('layers', 12) : null, ' ', label(s, r.id, 80))),
            h('td', null, f1(r.usg.u)), h('td', null, f1(r.usg.s)), h('td', null, f1(r.usg.g)),
            h('td', { class: 'rank-total', 'data-testid': 'ranking-total' }, f1(r.usg.total)),
            h('td', null, String(r.usg.raters || 0)), h('td', { 'data-testid': 'ranking-votes' }, String(r.votes || 0))), ...byUnitRows(ctx, r.id)]))))
      : h('p', { class: 'empty', 'data-testid': 'ranking-empty' }, t('rank.empty')),
  ];
}

// SESSION_REC is the draft key of the session's conclusion (in the "notes" tab).
const SESSION_REC = 'notes/session-rec';

function conclusionsView(ctx, p) {
  const s = ctx.state;
  const sessionRec = s.records.get('');
  const list = [...s.records.values()].filter((r) => r.targetId).sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return [
    h('h2', { class: 'panel-h' }, t('record.session')),
    p.staffEdit
      ? h('form', { class: 'stack', 'data-testid': 'session-record-form', onsubmit: (e) => { e.preventDefault(); saveRecord(ctx, null, SESSION_REC); } },
        h('label', { class: 'sr-only', for: 'session-rec' }, t('record.session')),
        h('textarea', { id: 'session-rec', name: 'text', rows: 4, maxlength: 5000, placeholder: t('record.sessionPlaceholder'), ...draftProps(ctx, SESSION_REC, savedRecord(ctx, null)), 'data-testid': 'session-record-input' }),
        h('div', { class: 'form-btns' },
          hasDraft(ctx, SESSION_REC) ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'session-record-cancel', onclick: () => dropDraft(ctx, SESSION_REC) }, t('common.cancel')) : null,
          h('button', { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'session-record-save' }, t('record.save'))))
      : h('p', { class: sessionRec ? 'record-text' : 'empty', 'data-testid': 'session-record' }, sessionRec ? sessionRec.text : t('record.none')),
    h('h2', { class: 'panel-h' }, t('record.perTopic')),
    list.length
      ? h('ul', { class: 'records', 'data-testid': 'records' }, list.map((r) => h('li', { key: r.targetId, class: 'record-item', 'data-testid': 'record-item' },
        h('p', { class: 'record-target' }, label(s, r.targetId, 90)),
        h('p', { class: 'record-text' }, r.text),
        h('p', { class: 'record-meta' }, fmtTime(r.at),
          p.staffEdit ? h('button', { type: 'button', class: 'link-btn', onclick: () => recordDialog(ctx, r.targetId) }, t('common.edit')) : null))))
      : h('p', { class: 'empty' }, t(p.staff ? 'record.emptyStaff' : 'record.empty')),
  ];
}
