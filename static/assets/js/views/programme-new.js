// programme-new.js — /p: create a programme (program ZI): unit, year,
// target, the letterhead (kop) and the TPI's chair and secretary. The
// server answers the programme's key once; the page keeps it in the
// programme link's #fragment (never sent to the server) and on this
// browser, then opens the programme page. Also the landing's card that
// leads here and lists the programmes this browser holds a key for.
import { h, render } from '../dom.js';
import { t, onLangChange } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { createProgramme } from '../api.js';
import { saveProgramme, recentProgrammes } from '../storage.js';
import { appHeader, submitForm } from './join.js';

export const programmeLink = (id, key) => `/p/${encodeURIComponent(id)}#${encodeURIComponent(key)}`;

export function mountProgrammeNew(root, app) {
  const st = { busy: false, error: '' };
  const draw = () => render(root, view(st, app, draw));
  draw();
  document.title = t('prog.newTitle') + ' — Rembuk';
  const off = onLangChange(draw);
  return { unmount: off };
}

const text = (name, label, opts = {}) => h('label', { class: 'field' + (opts.wide ? ' field-wide' : '') }, h('span', { class: 'field-label' }, label),
  h('input', { name, type: opts.type || 'text', maxlength: opts.max || 200, required: !!opts.required, inputmode: opts.inputmode, defaultValue: opts.value,
    min: opts.min, max: opts.maxNum, 'data-testid': 'prog-' + name, autocomplete: 'off' }));

function view(st, app, draw) {
  return h('div', { class: 'page landing', 'data-testid': 'programme-new' },
    appHeader(app),
    h('main', { class: 'landing-main prog-main' },
      h('section', { class: 'card', 'aria-labelledby': 'prog-new-h' },
        h('h1', { class: 'card-title', id: 'prog-new-h' }, icon('plus'), t('prog.newTitle')),
        h('p', { class: 'card-sub' }, t('prog.newSub')),
        h('form', { class: 'stack', 'data-testid': 'prog-form', onsubmit: (e) => { e.preventDefault(); submit(e.target, st, app, draw); } },
          h('div', { class: 'field-row' },
            text('unit', t('prog.unit'), { required: true, max: 120, wide: true }),
            text('year', t('prog.year'), { type: 'number', required: true, value: String(new Date().getFullYear()), min: 2000, maxNum: 2100, inputmode: 'numeric' })),
          h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('prog.target')),
            h('select', { name: 'target', 'data-testid': 'prog-target' },
              ['WBK', 'WBBM'].map((x) => h('option', { key: x, value: x }, t('prog.target' + x))))),
          h('fieldset', { class: 'fields' },
            h('legend', { class: 'field-label' }, t('prog.kop')),
            h('p', { class: 'field-hint' }, t('prog.kopHint')),
            text('instansi', t('prog.instansi')), text('kopUnit', t('prog.kopUnit')), text('alamat', t('prog.alamat'))),
          h('fieldset', { class: 'fields' },
            h('legend', { class: 'field-label' }, t('prog.people')),
            h('div', { class: 'field-row' }, text('chairName', t('prog.chairName'), { max: 80 }), text('chairNip', t('prog.nip'), { max: 40, inputmode: 'numeric' })),
            h('div', { class: 'field-row' }, text('secName', t('prog.secName'), { max: 80 }), text('secNip', t('prog.nip'), { max: 40, inputmode: 'numeric' }))),
          st.error ? h('p', { class: 'form-error', role: 'alert', 'data-testid': 'prog-error' }, st.error) : null,
          h('button', { type: 'submit', class: 'btn btn-primary btn-lg', disabled: st.busy, 'data-testid': 'prog-submit' }, st.busy ? t('common.wait') : t('prog.create'))))));
}

async function submit(form, st, app, draw) {
  if (st.busy) return;
  const f = form.elements;
  const v = (k) => f[k].value.trim();
  const body = {
    unit: v('unit'), year: Number(v('year')), target: f.target.value,
    kop: { instansi: v('instansi'), unit: v('kopUnit'), alamat: v('alamat') },
    chair: { name: v('chairName'), nip: v('chairNip') }, secretary: { name: v('secName'), nip: v('secNip') },
  };
  if (!body.unit || !body.year) { form.reportValidity(); return; }
  await submitForm(st, 'error', draw, app, async () => {
    const r = await createProgramme(body);
    saveProgramme(r.id, { key: r.key, unit: body.unit, year: body.year, target: body.target, fresh: true });
    return programmeLink(r.id, r.key);
  });
}

/** programmesCard is the landing's way to programmes. */
export function programmesCard(app) {
  const list = recentProgrammes().slice(0, 4);
  return h('section', { class: 'card', 'aria-labelledby': 'progs-h', 'data-testid': 'programmes-card' },
    h('h2', { class: 'card-title', id: 'progs-h' }, t('prog.cardTitle')),
    h('p', { class: 'card-sub' }, t('prog.cardSub')),
    list.length ? h('ul', { class: 'recent' }, list.map((p) => h('li', { key: p.id },
      h('a', { class: 'recent-item', href: programmeLink(p.id, p.key), 'data-testid': 'recent-programme', onclick: (e) => { e.preventDefault(); app.navigate(programmeLink(p.id, p.key)); } },
        h('span', { class: 'recent-title' }, `${p.unit || '—'} ${p.year || ''}`),
        h('span', { class: 'recent-meta' }, p.target || ''), icon('right', 16))))) : null,
    h('a', { class: 'btn btn-ghost', href: '/p', 'data-testid': 'programme-new-link', onclick: (e) => { e.preventDefault(); app.navigate('/p'); } }, icon('plus', 16), t('prog.newTitle')));
}
