// landing.js — the front page: "Buat sesi" (create) and "Gabung" (join by
// code), plus the sessions this browser already holds a token for.
import { h, render } from '../dom.js';
import { t, onLangChange } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { getTemplates, createSession } from '../api.js';
import { recentSessions, getMe } from '../storage.js';
import { appHeader, joinForm, submitJoin, submitForm, openCreated } from './join.js';
import { programmesCard } from './programme-new.js';

const ZONES = { WIB: '+07:00', WITA: '+08:00', WIT: '+09:00' };

export function mountLanding(root, app) {
  const st = { zone: 'WIB', templates: null, tplError: false, template: 'zona-integritas', busy: false, error: '', join: { busy: false, error: '', needPass: false } };
  const draw = () => render(root, view(st, app, draw));
  getTemplates().then((list) => {
    st.templates = list || [];
    if (st.templates.length && !st.templates.some((x) => x.id === st.template)) st.template = st.templates[0].id;
    draw();
  }).catch(() => { st.tplError = true; draw(); });
  draw();
  const off = onLangChange(draw);
  return { unmount: off };
}

function view(st, app, draw) {
  const recent = recentSessions().slice(0, 6);
  return h('div', { class: 'page landing', 'data-testid': 'landing' },
    appHeader(app),
    h('main', { class: 'landing-main' },
      h('div', { class: 'hero-row' },
        h('section', { class: 'hero' },
          h('h1', { class: 'hero-title' }, t('landing.title')),
          h('p', { class: 'hero-sub' }, t('landing.subtitle'))),
        h('div', { class: 'hero-art', 'aria-hidden': 'true' },
          ['yellow', 'pink', 'blue', 'green'].map((c, i) => h('span', { key: c, class: `art-note note-${c} art-${i + 1}` }, t('landing.art' + (i + 1)))))),
      h('div', { class: 'landing-grid' },
        createCard(st, app, draw),
        h('div', { class: 'landing-side' },
          h('section', { class: 'card', 'aria-labelledby': 'join-h' },
            h('h2', { class: 'card-title', id: 'join-h' }, icon('users'), t('join.title')),
            h('p', { class: 'card-sub' }, t('join.sub')),
            joinForm(st.join, null, (form) => submitJoin(form, st.join, app, draw))),
          recent.length ? h('section', { class: 'card', 'aria-labelledby': 'recent-h' },
            h('h2', { class: 'card-title', id: 'recent-h' }, t('landing.recent')),
            h('ul', { class: 'recent' }, recent.map((r) => h('li', { key: r.id },
              h('a', { class: 'recent-item', href: '/s/' + encodeURIComponent(r.id), 'data-testid': 'recent-session',
                onclick: (e) => { e.preventDefault(); app.navigate('/s/' + encodeURIComponent(r.id)); } },
              h('span', { class: 'recent-title' }, r.title || r.joinCode || '—'),
              h('span', { class: 'recent-meta' }, [r.joinCode, r.role ? t('role.' + r.role) : '', r.name].filter(Boolean).join(' · ')),
              icon('right', 16)))))) : null,
          programmesCard(app))),
      h('p', { class: 'landing-foot' }, t('landing.foot'))));
}

function createCard(st, app, draw) {
  const me = getMe();
  const tpl = (st.templates || []).find((x) => x.id === st.template);
  return h('section', { class: 'card card-create', 'aria-labelledby': 'create-h' },
    h('h2', { class: 'card-title', id: 'create-h' }, icon('plus'), t('create.title')),
    h('p', { class: 'card-sub' }, t('create.sub')),
    h('form', { class: 'stack', 'data-testid': 'create-form', onsubmit: (e) => { e.preventDefault(); submitCreate(e.target, st, app, draw); } },
      // Title and facilitator side by side (they wrap on a phone), so
      // "Buat sesi" stays on the first screen.
      h('div', { class: 'field-row title-row' },
        h('label', { class: 'field field-wide' }, h('span', { class: 'field-label' }, t('create.sessionTitle')),
          h('input', { name: 'title', type: 'text', required: true, maxlength: 200, placeholder: t('create.titlePlaceholder'), 'data-testid': 'create-title', autocomplete: 'off' })),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.facilitator')),
          h('input', { name: 'facilitatorName', type: 'text', required: true, maxlength: 80, defaultValue: me.name || '', 'data-testid': 'create-name', autocomplete: 'name' }))),
      h('fieldset', { class: 'templates' },
        h('legend', { class: 'field-label' }, t('create.template')),
        st.templates == null
          ? h('p', { class: 'muted' }, st.tplError ? t('err.network') : t('common.loading'))
          : h('div', { class: 'tpl-grid', role: 'radiogroup' }, st.templates.map((x) => h('label', { key: x.id, class: 'tpl' + (x.id === st.template ? ' on' : '') },
            h('input', { type: 'radio', name: 'template', value: x.id, checked: x.id === st.template, 'data-testid': 'template-' + x.id, onchange: () => { st.template = x.id; draw(); } }),
            h('span', { class: 'tpl-name' }, tplTitle(x)),
            h('span', { class: 'tpl-cols' }, t('create.columns', { n: x.columns.length }))))),
        tpl ? h('div', { class: 'tpl-preview', 'aria-label': t('create.preview') }, tpl.columns.map((c, i) => h('span', { key: 'c' + i, class: 'tpl-col kind-badge kind-badge-' + c.kind }, c.title))) : null),
      h('details', { class: 'more' },
        h('summary', null, t('create.more')),
        h('div', { class: 'stack' },
          h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.agenda')),
            h('textarea', { name: 'agenda', rows: 3, maxlength: 2000, 'data-testid': 'create-agenda' })),
          h('div', { class: 'field-row' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.place')), h('input', { name: 'place', type: 'text', maxlength: 200, 'data-testid': 'create-place' })),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.unit')), h('input', { name: 'unit', type: 'text', maxlength: 120, defaultValue: me.unit || '', 'data-testid': 'create-unit' }))),
          // The zone comes first: the date and time are read in it.
          h('div', { class: 'field-row' },
            h('label', { class: 'field field-narrow' }, h('span', { class: 'field-label' }, t('create.zone')),
              h('select', { name: 'timeZone', 'data-testid': 'create-zone', value: st.zone, onchange: (e) => { st.zone = e.target.value; draw(); } },
                Object.keys(ZONES).map((z) => h('option', { key: z, value: z }, z)))),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.when', { zone: st.zone })),
              h('input', { name: 'scheduledAt', type: 'datetime-local', 'data-testid': 'create-when', 'aria-describedby': 'create-when-hint' }))),
          h('p', { class: 'field-hint', id: 'create-when-hint' }, t('create.whenHint', { zone: st.zone })),
          h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.passcode')),
            h('input', { name: 'passcode', type: 'text', maxlength: 64, autocomplete: 'off', 'data-testid': 'create-passcode' }),
            h('span', { class: 'field-hint' }, t('create.passcodeHint'))),
          // For the minutes' signature block: "Jakarta, 10 Desember 2026"
          // and the optional "Mengetahui" official.
          h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.city')),
            h('input', { name: 'city', type: 'text', maxlength: 80, autocomplete: 'address-level2', 'data-testid': 'create-city', 'aria-describedby': 'create-city-hint' }),
            h('span', { class: 'field-hint', id: 'create-city-hint' }, t('create.cityHint'))),
          h('fieldset', { class: 'fields' },
            h('legend', { class: 'field-label' }, t('create.ack')),
            h('p', { class: 'field-hint' }, t('create.ackHint')),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.ackTitle')),
              h('input', { name: 'ackTitle', type: 'text', maxlength: 120, 'data-testid': 'create-ack-title', oninput: (e) => e.target.setCustomValidity('') })),
            h('div', { class: 'field-row' },
              h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.ackName')), h('input', { name: 'ackName', type: 'text', maxlength: 80, 'data-testid': 'create-ack-name' })),
              h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.ackNip')), h('input', { name: 'ackNip', type: 'text', maxlength: 40, inputmode: 'numeric', 'data-testid': 'create-ack-nip' })))))),
      st.error ? h('p', { class: 'form-error', role: 'alert', 'data-testid': 'create-error' }, st.error) : null,
      h('button', { type: 'submit', class: 'btn btn-primary btn-lg', disabled: st.busy, 'data-testid': 'create-submit' }, st.busy ? t('common.wait') : t('create.submit'))));
}

/** zonedToUTC reads a date-time field's value ("2026-12-10T09:00", seconds
 * optional) as a time in an Indonesian zone and returns it in UTC, RFC 3339
 * ("2026-12-10T02:00:00.000Z"), or '' when it is not a date-time. */
export function zonedToUTC(value, zone) {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?/.exec(value || '');
  if (!m || !ZONES[zone]) return '';
  const d = new Date(m[1] + (m[2] || ':00') + ZONES[zone]);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

function tplTitle(x) {
  const k = 'tpl.' + x.id;
  const v = t(k);
  return v === k ? x.title : v;
}

async function submitCreate(form, st, app, draw) {
  if (st.busy) return;
  const f = form.elements;
  const body = {
    title: f.title.value.trim(),
    template: st.template,
    facilitatorName: f.facilitatorName.value.trim(),
    lang: document.documentElement.lang === 'en' ? 'en' : 'id',
    timeZone: f.timeZone.value,
  };
  for (const k of ['agenda', 'place', 'unit', 'passcode', 'city']) {
    const v = f[k].value.trim();
    if (v) body[k] = v;
  }
  const ack = { title: f.ackTitle.value.trim(), name: f.ackName.value.trim(), nip: f.ackNip.value.trim() };
  if (ack.title || ack.name || ack.nip) {
    if (!ack.title) { // the server refuses an official without an office
      f.ackTitle.setCustomValidity(t('create.ackTitleNeeded'));
      form.reportValidity();
      return;
    }
    body.acknowledgedBy = ack;
  }
  if (f.scheduledAt.value) {
    const d = zonedToUTC(f.scheduledAt.value, f.timeZone.value);
    if (d) body.scheduledAt = d;
  }
  if (!body.title || !body.facilitatorName) { form.reportValidity(); return; }
  await submitForm(st, 'error', draw, app, async () => openCreated(await createSession(body), body, body.unit || ''));
}

