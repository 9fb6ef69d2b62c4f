// join.js — joining by code: the /join/{CODE} page (from the QR code or
// the link) and the join form the landing page reuses. A wrong passcode
// (403) reveals the passcode field.
import { h, render } from '../dom.js';
import { t, getLang, setLang, onLangChange, errorText } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { toast } from '../ui/toast.js';
import { joinSession } from '../api.js';
import { saveSession, sessionForCode, getSession, getMe, saveMe } from '../storage.js';
import { rejoinState, rejoinSection, stopRejoin } from './rejoin.js';

/** appHeader is the slim header of the landing and join pages. */
export function appHeader(app) {
  return h('header', { class: 'app-header' },
    h('a', { class: 'brand', href: '/', onclick: (e) => { e.preventDefault(); app.navigate('/'); } },
      h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'R'), h('span', { class: 'brand-name' }, 'Rembuk')),
    h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'lang-toggle', onclick: () => setLang(getLang() === 'id' ? 'en' : 'id') },
      icon('globe', 16), getLang() === 'id' ? 'English' : 'Bahasa Indonesia'));
}

const normCode = (v) => String(v || '').toUpperCase().replace(/[^A-Z0-9]/g, '');

/** joinForm renders the form; code given = fixed code (join page). */
export function joinForm(jst, code, onSubmit) {
  const me = getMe();
  return h('form', { class: 'stack', 'data-testid': 'join-form', onsubmit: (e) => { e.preventDefault(); onSubmit(e.target); } },
    code ? h('input', { type: 'hidden', name: 'code', value: code })
      : h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('join.code')),
        h('input', { name: 'code', type: 'text', required: true, maxlength: 16, class: 'code-input', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', placeholder: 'ABC123', 'data-testid': 'join-code-input',
          oninput: (e) => { const v = normCode(e.target.value); if (v !== e.target.value) e.target.value = v; } })),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('join.name')),
      h('input', { name: 'name', type: 'text', required: true, maxlength: 80, autocomplete: 'name', defaultValue: me.name || '', 'data-testid': 'join-name' })),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('join.unit'), h('span', { class: 'optional' }, t('common.optional'))),
      h('input', { name: 'unit', type: 'text', maxlength: 120, autocomplete: 'organization', defaultValue: me.unit || '', 'data-testid': 'join-unit' })),
    jst.needPass ? h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('join.passcode')),
      h('input', { name: 'passcode', type: 'password', maxlength: 64, required: true, autocomplete: 'off', 'data-testid': 'join-passcode', ref: (n) => setTimeout(() => n.focus(), 0) })) : null,
    jst.error ? h('p', { class: 'form-error', role: 'alert', 'data-testid': 'join-error' }, jst.error) : null,
    h('button', { type: 'submit', class: 'btn btn-primary btn-lg', disabled: jst.busy, 'data-testid': 'join-submit' }, jst.busy ? t('common.wait') : t('join.submit')));
}

/** submitJoin posts the join and opens the board. */
export async function submitJoin(form, jst, app, draw) {
  if (jst.busy) return;
  const f = form.elements;
  const body = { code: normCode(f.code.value), name: f.name.value.trim() };
  if (f.unit.value.trim()) body.unit = f.unit.value.trim();
  if (f.passcode && f.passcode.value) body.passcode = f.passcode.value;
  if (!body.code || !body.name) { form.reportValidity(); return; }
  // Re-opening the join link in a browser that is already in this session
  // is a rejoin: the server answers with the same person (no second row in
  // the attendance list) when the token is still valid, else joins anew.
  const sid = sessionForCode(body.code);
  const known = sid ? getSession(sid) : null;
  if (known && known.token) body.token = known.token;
  await submitForm(jst, 'error', draw, app, async () => {
    const r = await joinSession(body);
    if (body.token && r.token === body.token) {
      saveSession(r.sessionId, { token: r.token, participantId: r.participantId, joinCode: body.code });
      toast(t('join.rejoined', { name: known.name || body.name }), 'info');
    } else {
      saveMe({ name: body.name, unit: body.unit || '' });
      saveSession(r.sessionId, { token: r.token, participantId: r.participantId, joinCode: body.code, name: body.name, role: 'participant' });
    }
    return '/s/' + encodeURIComponent(r.sessionId);
  }, (e) => {
    if (e.code === 'joining_closed') return t('join.joiningClosed');
    if (e.status === 403) {
      const text = jst.needPass ? t('join.wrongPasscode') : t('join.needPasscode');
      jst.needPass = true;
      return text;
    }
    if (e.status === 404) return t('join.notFound');
    if (e.status === 409) return t('join.closed');
    if (e.status === 429) return t('join.tooMany');
    return errorText(e.code);
  });
}

/**
 * submitForm runs a form's request: st.busy while call() runs, then the
 * page at the path it returns, or its refusal (text(e)) in st[errKey].
 */
export async function submitForm(st, errKey, draw, app, call, text = (e) => errorText(e.code)) {
  st.busy = true;
  st[errKey] = '';
  draw();
  try {
    const path = await call();
    st.busy = false;
    app.navigate(path);
  } catch (e) {
    st.busy = false;
    st[errKey] = text(e);
    draw();
  }
}

/** openCreated keeps a session just created (its facilitator's name and token) and is its board's path. */
export function openCreated(r, body, unit) {
  saveMe({ name: body.facilitatorName, unit });
  saveSession(r.id, { token: r.facilitatorToken, participantId: r.participantId, joinCode: r.joinCode, title: body.title, name: body.facilitatorName, role: 'facilitator' });
  return '/s/' + encodeURIComponent(r.id);
}

export function mountJoin(root, rawCode, app) {
  const code = normCode(rawCode);
  const jst = { busy: false, error: '', needPass: false };
  const rs = rejoinState();
  const draw = () => {
    const sid = sessionForCode(code);
    const known = sid ? getSession(sid) : null;
    render(root, h('div', { class: 'page join-page', 'data-testid': 'join-page' },
      appHeader(app),
      h('main', { class: 'join-main' },
        h('section', { class: 'card join-card', 'aria-labelledby': 'jh' },
          h('p', { class: 'join-kicker' }, t('join.kicker')),
          h('p', { class: 'join-code-big', 'data-testid': 'join-page-code' }, code),
          h('h1', { class: 'card-title', id: 'jh' }, t('join.welcome')),
          known && known.token ? h('div', { class: 'known' },
            h('p', null, t('join.known', { name: known.name || '' })),
            h('button', { type: 'button', class: 'btn btn-primary btn-lg', 'data-testid': 'join-continue', onclick: () => app.navigate('/s/' + encodeURIComponent(sid)) }, t('join.continue'), icon('arrow', 16)),
            h('p', { class: 'divider' }, t('join.orNew'))) : null,
          joinForm(jst, code, (form) => submitJoin(form, jst, app, draw)),
          rejoinSection(rs, code, app, draw)))));
  };
  draw();
  // Someone who scanned the QR code types their name next: the field has
  // the focus (unless this browser is already in the session: then
  // "continue" is the way on).
  const sid = sessionForCode(code);
  const known = sid ? getSession(sid) : null;
  const name = root.querySelector('[data-testid=join-name]');
  if (name && !(known && known.token)) {
    name.focus();
    name.setSelectionRange(name.value.length, name.value.length);
  }
  const off = onLangChange(draw);
  return { unmount: () => { stopRejoin(rs); off(); } };
}
