// programme.js — /p/{id}#KEY: a programme (program ZI) for whoever holds
// its key. The key lives in the link's #fragment, which browsers never
// send, so it reaches the server only in the Authorization header. The
// page shows the header and letterhead, the link (and a new key on
// request), the sessions, a form for a new session inside the programme,
// and the action register (rencana aksi) grouped by area perubahan.
import { h, render } from '../dom.js';
import { t, onLangChange, errorText, fmtDate } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { confirmDialog } from '../ui/dialog.js';
import { toast } from '../ui/toast.js';
import { getProgramme, getRegister, rotateProgrammeKey, createProgrammeSession, getTemplates } from '../api.js';
import { saveProgramme, getProgrammeInfo, getSession, getMe } from '../storage.js';
import { appHeader, submitForm, openCreated } from './join.js';
import { programmeLink } from './programme-new.js';
import { downloadFile, savePack, packProgress } from '../download.js';

export function mountProgramme(root, id, app) {
  let key = '';
  try { key = decodeURIComponent(location.hash.slice(1)); } catch (_) { key = ''; }
  const saved = getProgrammeInfo(id);
  if (!key && saved) key = saved.key || '';
  if (key) saveProgramme(id, { key });
  const st = { id, key, fresh: !!(saved && saved.fresh), data: null, reg: null, error: '', templates: null, template: 'zona-integritas', busy: false, formError: '', newKey: '' };
  if (st.fresh) saveProgramme(id, { fresh: false });
  const draw = () => render(root, view(st, app, draw, load));
  const load = async () => {
    if (!st.key) { st.error = t('prog.noKey'); draw(); return; }
    try {
      const [data, reg] = await Promise.all([getProgramme(id, st.key), getRegister(id, st.key)]);
      st.data = data;
      st.reg = reg;
      st.error = '';
      const p = data.programme;
      saveProgramme(id, { unit: p.unit, year: p.year, target: p.target });
      document.title = `${t('prog.title')} ${p.unit} ${p.year} — Rembuk`;
    } catch (e) {
      st.error = e.code === 'forbidden' || e.code === 'unauthorized' ? t('prog.badKey') : errorText(e.code);
    }
    draw();
  };
  getTemplates().then((list) => { st.templates = list || []; draw(); }).catch(() => { st.templates = []; draw(); });
  // Back from a session's board: show what changed there.
  const onVisible = () => { if (document.visibilityState === 'visible') load(); };
  document.addEventListener('visibilitychange', onVisible);
  draw();
  load();
  const off = onLangChange(draw);
  return { unmount: () => { off(); document.removeEventListener('visibilitychange', onVisible); } };
}

function view(st, app, draw, load) {
  const d = st.data;
  return h('div', { class: 'page landing prog-page', 'data-testid': 'programme-page' },
    appHeader(app),
    h('main', { class: 'landing-main prog-main' },
      st.error ? h('p', { class: 'form-error', role: 'alert', 'data-testid': 'prog-page-error' }, st.error) : null,
      d ? [
        headCard(d.programme),
        keyCard(st, draw),
        sessionsCard(st, app),
        newSessionCard(st, app, draw),
        registerCard(st, load),
        packCard(st, draw),
      ] : (st.error ? null : h('p', { class: 'muted' }, t('common.loading')))));
}

function headCard(p) {
  const kop = [p.kop.instansi, p.kop.unit, p.kop.alamat].filter(Boolean);
  const person = (label, o) => o.name ? h('p', { class: 'prog-person' }, h('span', { class: 'field-label' }, label), ' ', o.name, o.nip ? ` (NIP ${o.nip})` : '') : null;
  return h('section', { class: 'card', 'aria-labelledby': 'prog-h' },
    kop.length ? h('div', { class: 'prog-kop', 'data-testid': 'prog-kop' }, kop.map((l, i) => h('p', { key: 'k' + i }, l))) : null,
    h('h1', { class: 'card-title', id: 'prog-h', 'data-testid': 'prog-title' }, `${t('prog.title')} ${p.unit} ${p.year}`,
      h('span', { class: 'status-badge target-badge' }, p.target)),
    person(t('prog.chairName'), p.chair), person(t('prog.secName'), p.secretary));
}

function keyCard(st, draw) {
  const link = location.origin + programmeLink(st.id, st.key);
  const rotate = async () => {
    if (!(await confirmDialog(t('prog.rotateConfirm'), { danger: true, ok: t('prog.rotate') }))) return;
    try {
      const r = await rotateProgrammeKey(st.id, st.key);
      st.key = r.key;
      st.newKey = r.key;
      saveProgramme(st.id, { key: r.key });
      history.replaceState(null, '', programmeLink(st.id, r.key));
    } catch (e) {
      st.error = errorText(e.code);
    }
    draw();
  };
  return h('section', { class: 'card', 'aria-labelledby': 'prog-key-h' },
    h('h2', { class: 'card-title', id: 'prog-key-h' }, icon('link'), t('prog.linkTitle')),
    h('p', { class: 'card-sub', role: st.fresh || st.newKey ? 'alert' : null }, t(st.fresh || st.newKey ? 'prog.linkOnce' : 'prog.linkSub')),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('prog.link')),
      h('input', { type: 'text', readOnly: true, value: link, 'data-testid': 'prog-link', onfocus: (e) => e.target.select() })),
    h('div', { class: 'form-btns' },
      h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'prog-copy', onclick: () => navigator.clipboard && navigator.clipboard.writeText(link) }, t('prog.copy')),
      h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'prog-rotate', onclick: rotate }, t('prog.rotate'))));
}

function sessionsCard(st, app) {
  const list = st.data.sessions || [];
  return h('section', { class: 'card', 'aria-labelledby': 'prog-sess-h' },
    h('h2', { class: 'card-title', id: 'prog-sess-h' }, t('prog.sessions'), h('span', { class: 'panel-h-count' }, String(list.length))),
    list.length ? h('ul', { class: 'prog-sessions', 'data-testid': 'prog-sessions' }, list.map((s) => {
      const mine = getSession(s.id);
      const title = mine && mine.token
        ? h('a', { href: '/s/' + encodeURIComponent(s.id), onclick: (e) => { e.preventDefault(); app.navigate('/s/' + encodeURIComponent(s.id)); } }, s.title)
        : s.title;
      return h('li', { key: s.id, class: 'prog-session', 'data-testid': 'prog-session', 'data-session-id': s.id },
        h('p', { class: 'prog-session-title' }, title),
        h('p', { class: 'recent-meta' }, [fmtDate(s.date), s.closed ? t('prog.closed') : t('phase.' + s.phase),
          s.template === 'monitoring-rencana-aksi' ? t('tpl.monitoring-rencana-aksi') : '',
          t('prog.participants', { n: s.participants }), t('prog.notes', { n: s.notes }), t('prog.actions', { n: s.actions })].filter(Boolean).join(' · ')));
    })) : h('p', { class: 'empty' }, t('prog.noSessions')));
}

function newSessionCard(st, app, draw) {
  const me = getMe();
  const submit = async (form) => {
    const f = form.elements;
    const body = { title: f.title.value.trim(), template: f.template.value, facilitatorName: f.facilitatorName.value.trim(),
      lang: document.documentElement.lang === 'en' ? 'en' : 'id' };
    if (!body.title || !body.facilitatorName) { form.reportValidity(); return; }
    await submitForm(st, 'formError', draw, app, async () => openCreated(await createProgrammeSession(st.id, st.key, body), body, me.unit || ''));
  };
  return h('section', { class: 'card', 'aria-labelledby': 'prog-new-sess-h' },
    h('h2', { class: 'card-title', id: 'prog-new-sess-h' }, icon('plus'), t('prog.newSession')),
    h('p', { class: 'card-sub' }, t('prog.newSessionSub')),
    h('form', { class: 'stack', 'data-testid': 'prog-session-form', onsubmit: (e) => { e.preventDefault(); submit(e.target); } },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.sessionTitle')),
        h('input', { name: 'title', type: 'text', required: true, maxlength: 200, 'data-testid': 'prog-session-title', autocomplete: 'off' })),
      h('div', { class: 'field-row' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.template')),
          h('select', { name: 'template', 'data-testid': 'prog-session-template' },
            (st.templates || []).map((x) => h('option', { key: x.id, value: x.id }, tplName(x))))),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('create.facilitator')),
          h('input', { name: 'facilitatorName', type: 'text', required: true, maxlength: 80, defaultValue: me.name || '', 'data-testid': 'prog-session-name', autocomplete: 'name' }))),
      st.formError ? h('p', { class: 'form-error', role: 'alert' }, st.formError) : null,
      h('button', { type: 'submit', class: 'btn btn-primary', disabled: st.busy, 'data-testid': 'prog-session-submit' }, st.busy ? t('common.wait') : t('create.submit'))));
}

const tplName = (x) => { const k = 'tpl.' + x.id; const v = t(k); return v === k ? x.title : v; };

function registerCard(st, load) {
  const r = st.reg;
  const groups = (r.areas || []).filter((a) => a.total > 0);
  const items = r.items || [];
  return h('section', { class: 'card', 'aria-labelledby': 'prog-reg-h', 'data-testid': 'register' },
    h('h2', { class: 'card-title', id: 'prog-reg-h' }, t('reg.title'),
      h('span', { class: 'panel-h-count', 'data-testid': 'register-totals' }, t('reg.totals', { done: r.totals.done, open: r.totals.open, overdue: r.totals.overdue }))),
    h('div', { class: 'form-btns' }, h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'register-reload', onclick: load }, t('reg.reload'))),
    items.length ? groups.map((g) => h('section', { key: 'a' + g.no, class: 'reg-area', 'aria-label': g.name || t('reg.noArea') },
      h('h3', { class: 'form-h' }, g.no ? `${g.no}. ${g.name}` : t('reg.noArea'),
        h('span', { class: 'panel-h-count' }, t('reg.totals', { done: g.done, open: g.open, overdue: g.overdue }))),
      h('ul', { class: 'reg-items' }, items.filter((it) => it.areaNo === g.no).map((it) => regItem(it)))))
      : h('p', { class: 'empty' }, t('reg.empty')));
}

function regItem(it) {
  return h('li', { key: it.source.id + '/' + it.actionId, class: 'reg-item' + (it.overdue ? ' late' : ''), 'data-testid': 'register-item', 'data-status': it.status },
    h('p', { class: 'action-text' }, it.text),
    h('p', { class: 'action-meta' },
      h('span', { class: 'status-badge status-' + it.status, 'data-testid': 'register-status' }, t('status.' + it.status)),
      it.overdue ? h('span', { class: 'status-badge status-late', 'data-testid': 'register-overdue' }, t('reg.overdue')) : null,
      h('span', null, t('action.pic'), ': ', it.owner),
      h('span', null, t('action.due'), ': ', fmtDate(it.due))),
    h('p', { class: 'recent-meta' }, t('reg.source', { title: it.source.title, date: fmtDate(it.source.date) }),
      it.statusSource && it.statusSource.id !== it.source.id ? ' · ' + t('reg.statusFrom', { title: it.statusSource.title }) : ''),
    it.progress.length ? h('ul', { class: 'progress-notes' }, it.progress.map((n) => h('li', { key: n.id },
      h('span', { class: 'progress-at' }, fmtDate((n.at || '').slice(0, 10))), ' ',
      n.status ? h('span', { class: 'status-badge status-' + n.status }, t('status.' + n.status)) : null, ' ',
      n.text || '', n.sessionTitle ? ` (${n.sessionTitle})` : ''))) : null,
    it.evidence.length ? h('p', { class: 'evidence' }, it.evidence.map((u, i) => h('a', { key: 'e' + i, href: u, target: '_blank', rel: 'noopener noreferrer' }, t('action.evidenceN', { n: i + 1 })))) : null);
}

// packCard downloads the programme's evidence pack: the register report
// and every session's pack, streamed, with its progress (download.js).
function packCard(st, draw) {
  const prog = st.pack || (st.pack = { running: false, files: 0, total: 0, bytes: 0, name: '' });
  const start = () => savePack(prog, `/api/programmes/${encodeURIComponent(st.id)}/pack`, st.key, draw);
  const report = async (format) => {
    try {
      const name = await downloadFile(`/api/programmes/${encodeURIComponent(st.id)}/report?format=${format}`, st.key);
      toast(t('minutes.saved', { name }), 'ok');
    } catch (e) {
      toast(errorText(e.code), 'error');
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': 'prog-pack-h', 'data-testid': 'prog-pack' },
    h('h2', { class: 'card-title', id: 'prog-pack-h' }, t('pack.progTitle')),
    h('p', { class: 'muted' }, t('pack.progHelp')),
    h('div', { class: 'form-btns' },
      ['pdf', 'docx', 'csv'].map((f) => h('button', { key: f, type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'prog-report-' + f, onclick: () => report(f) }, t('pack.report', { format: f.toUpperCase() }))),
      h('button', { type: 'button', class: 'btn btn-primary', disabled: prog.running, 'data-testid': 'prog-pack-download', onclick: start }, icon('download', 16), t('pack.download'))),
    packProgress(prog));
}
