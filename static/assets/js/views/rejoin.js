// rejoin.js — "Sudah bergabung di perangkat lain?" on the join page: the
// same person on a second device. Either the first device shows a
// single-use link ("Buka di perangkat lain" in its menu), or this device
// asks the facilitator by name and waits for the approval, then keeps the
// token it is given like a join does. The server decides; this only asks.
import { h } from '../dom.js';
import { t, errorText } from '../i18n.js';
import { toast } from '../ui/toast.js';
import { askRejoin, pollRejoin } from '../api.js';
import { saveSession } from '../storage.js';

const POLL_MS = 2000;

/** rejoinState is what the section keeps between renders. */
export function rejoinState() {
  return { open: false, busy: false, waiting: null, error: '', needPass: false, timer: 0 };
}

/** stopRejoin ends the polling (the page unmounts, or the person cancels). */
export function stopRejoin(rs) {
  clearTimeout(rs.timer);
  rs.timer = 0;
  rs.waiting = null;
}

/** rejoinSection renders the toggle and, when open, the request form or the wait. */
export function rejoinSection(rs, code, app, draw) {
  const toggle = h('button', { type: 'button', class: 'rejoin-toggle', 'aria-expanded': String(rs.open), 'aria-controls': 'rejoin-body', 'data-testid': 'rejoin-toggle',
    onclick: () => { rs.open = !rs.open; if (!rs.open) stopRejoin(rs); draw(); } }, t('rejoin.toggle'));
  if (!rs.open) return h('div', { class: 'rejoin' }, toggle);
  const body = rs.waiting
    ? h('div', { class: 'rejoin-wait' },
      h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'rejoin-waiting' }, t('rejoin.waiting')),
      h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'rejoin-cancel', onclick: () => { stopRejoin(rs); draw(); } }, t('common.cancel')))
    : h('form', { class: 'stack', 'data-testid': 'rejoin-form', onsubmit: (e) => { e.preventDefault(); ask(e.target, rs, code, app, draw); } },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('rejoin.name')),
        h('input', { name: 'name', type: 'text', required: true, maxlength: 80, autocomplete: 'name', 'data-testid': 'rejoin-name' })),
      rs.needPass ? h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('join.passcode')),
        h('input', { name: 'passcode', type: 'password', maxlength: 64, required: true, autocomplete: 'off', 'data-testid': 'rejoin-passcode' })) : null,
      rs.error ? h('p', { class: 'form-error', role: 'alert', 'data-testid': 'rejoin-error' }, rs.error) : null,
      h('button', { type: 'submit', class: 'btn btn-ghost', disabled: rs.busy, 'data-testid': 'rejoin-ask' }, rs.busy ? t('common.wait') : t('rejoin.ask')));
  return h('div', { class: 'rejoin' }, toggle,
    h('div', { class: 'rejoin-body', id: 'rejoin-body' },
      h('p', { class: 'muted' }, t('rejoin.linkHelp')),
      h('p', { class: 'muted' }, t('rejoin.askHelp')),
      body));
}

async function ask(form, rs, code, app, draw) {
  if (rs.busy) return;
  const f = form.elements;
  const body = { code, name: f.name.value.trim() };
  if (f.passcode && f.passcode.value) body.passcode = f.passcode.value;
  if (!body.name) { form.reportValidity(); return; }
  rs.busy = true; rs.error = ''; draw();
  try {
    const r = await askRejoin(body);
    rs.waiting = { sessionId: r.sessionId, requestId: r.requestId, name: body.name };
    poll(rs, app, draw);
  } catch (e) {
    if (e.status === 403) { rs.error = rs.needPass ? t('join.wrongPasscode') : t('join.needPasscode'); rs.needPass = true; }
    else if (e.status === 404) rs.error = t('rejoin.noName');
    else if (e.status === 429) rs.error = t('join.tooMany');
    else rs.error = errorText(e.code);
  }
  rs.busy = false;
  draw();
}

function poll(rs, app, draw) {
  const w = rs.waiting;
  rs.timer = setTimeout(async () => {
    if (rs.waiting !== w) return;
    try {
      const r = await pollRejoin(w.sessionId, w.requestId);
      if (rs.waiting !== w) return;
      if (r && r.status === 'approved') {
        stopRejoin(rs);
        saveSession(r.sessionId, { token: r.token, participantId: r.participantId, name: w.name, role: 'participant' });
        toast(t('rejoin.welcomeBack', { name: w.name }), 'info');
        app.navigate('/s/' + encodeURIComponent(r.sessionId));
        return;
      }
      poll(rs, app, draw);
    } catch (e) {
      if (rs.waiting !== w) return;
      if (e.status === 0) { poll(rs, app, draw); return; } // offline a moment: keep asking
      stopRejoin(rs);
      rs.error = e.status === 403 ? t('rejoin.refusedHere') : e.status === 404 ? t('rejoin.expired') : errorText(e.code);
      draw();
    }
  }, POLL_MS);
}
