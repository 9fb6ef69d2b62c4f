// apkl.js — the APKL screening step (phase "screen"): per item four rows
// (Aktual, Problematik, Kekhalayakan, Layak) of ✓/✗ or 1–5 as accessible
// radio groups, the team's result live, the pass indicator and filter, and
// the facilitator's APKL settings. The server decides who rates and what
// passes (board/apkl.go); the page only mirrors the result it sends.
import { h } from '../dom.js';
import { t, fmtNum } from '../i18n.js';
import { allowed } from './perm.js';

export const CRITERIA = ['a', 'p', 'k', 'l'];

/** apklOf returns the session's APKL settings with their defaults. */
export function apklOf(s) {
  const a = (s.session.settings && s.session.settings.apkl) || {};
  return { enabled: !!a.enabled, mode: a.mode || 'check', raters: a.raters || 'all', scope: a.scope || 'passed' };
}

/** isItem: notes and groups of problem columns are screened. */
export function isItem(s, target) {
  const c = s.columns.get(target.columnId);
  return !!c && c.kind === 'problem';
}

/** mayRate mirrors apkl.score's rule: the phase from the command table, the raters setting. */
export function mayRate(s) {
  return allowed(s, 'apkl.score') && apklOf(s).enabled && (apklOf(s).raters === 'all' || s.you.role === 'facilitator');
}

/** screenedOut mirrors the server's USG gate: APKL on, scope passed, an item that did not pass. */
export function screenedOut(s, target) {
  const a = apklOf(s);
  return a.enabled && a.scope === 'passed' && isItem(s, target) && !(target.apkl && target.apkl.passed);
}

/** apklClass marks a card for the pass filter and indicator. */
export function apklClass(s, target) {
  if (!apklOf(s).enabled || !isItem(s, target)) return '';
  return target.apkl && target.apkl.passed ? ' apkl-pass' : ' apkl-fail';
}

/**
 * pickScore records one part (k = v) of the viewer's score of target (the
 * parts are keys; drafts and mine map target ids to the parts picked and
 * to the score sent); once every part is picked the score goes out as one
 * command of type.
 */
export function pickScore(ctx, type, keys, drafts, mine, target, k, v) {
  const now = mine.get(target.id);
  const d = { ...(drafts.get(target.id) || (now ? { ...now } : {})), [k]: v };
  if (keys.every((c) => d[c] != null)) {
    const score = Object.fromEntries(keys.map((c) => [c, d[c]]));
    drafts.delete(target.id);
    ctx.cmd(type, { targetId: target.id, ...score });
    mine.set(target.id, score);
  } else {
    drafts.set(target.id, d);
  }
  ctx.schedule();
}

/** apklPicker is the four criteria of one item with the team's result. */
export function apklPicker(ctx, target) {
  const s = ctx.state;
  const a = apklOf(s);
  const rate = mayRate(s);
  const mine = s.myApkl.get(target.id);
  const draft = ctx.ui.apklDraft.get(target.id) || (mine ? { ...mine } : {});
  const values = a.mode === 'score' ? [1, 2, 3, 4, 5] : [1, 0];
  const pick = (k, v) => pickScore(ctx, 'apkl.score', CRITERIA, ctx.ui.apklDraft, ctx.state.myApkl, target, k, v);
  const res = target.apkl && target.apkl.raters ? target.apkl : null;
  return h('div', { class: 'apkl', 'data-testid': 'apkl-picker', role: 'group', 'aria-label': t('apkl.label') },
    CRITERIA.map((k) => h('div', { key: k, class: 'apkl-row' },
      h('span', { class: 'apkl-key', id: `apkl-${target.id}-${k}`, title: t('apkl.' + k + 'Hint') }, k.toUpperCase(), h('span', { class: 'sr-only' }, ' ' + t('apkl.' + k))),
      rate ? h('div', { class: 'apkl-opts', role: 'radiogroup', 'aria-labelledby': `apkl-${target.id}-${k}` },
        values.map((v) => h('button', {
          key: 'v' + v, type: 'button', role: 'radio', class: 'apkl-btn' + (draft[k] === v ? ' on' : '') + (a.mode === 'check' ? (v ? ' yes' : ' no') : ''),
          'aria-checked': String(draft[k] === v), 'data-testid': `apkl-${k}-${v}`,
          'aria-label': `${t('apkl.' + k)}: ${a.mode === 'check' ? t(v ? 'apkl.yes' : 'apkl.no') : v}`,
          onclick: () => pick(k, v),
        }, a.mode === 'check' ? (v ? '✓' : '✗') : String(v)))) : null,
      h('span', { class: 'apkl-team' + (res ? (res.ok[k] ? ' ok' : ' nok') : ''), 'data-testid': 'apkl-team-' + k },
        res ? teamValue(a, res, k) : '–'))),
    h('p', { class: 'apkl-summary', 'data-testid': 'apkl-summary' },
      rate ? (mine && !ctx.ui.apklDraft.has(target.id) ? h('span', null, t('apkl.rated')) : h('span', { class: 'muted' }, t('apkl.pickAll'))) : h('span', { class: 'muted' }, t('apkl.facOnly')),
      verdict(res)));
}

function teamValue(a, res, k) {
  const mark = res.ok[k] ? '✓' : '✗';
  return a.mode === 'score' ? `${mark} ${fmtNum(res[k])}` : `${mark} ${res[k]}/${res.raters}`;
}

/** verdict is the item's pass badge. */
export function verdict(res) {
  if (!res || !res.raters) return h('span', { class: 'apkl-verdict none', 'data-testid': 'apkl-verdict', 'data-passed': 'none' }, t('apkl.unrated'));
  return h('span', { class: 'apkl-verdict ' + (res.passed ? 'pass' : 'fail'), 'data-testid': 'apkl-verdict', 'data-passed': String(res.passed) },
    t(res.passed ? 'apkl.passed' : 'apkl.failed', { r: res.raters }));
}

/** apklBadge shows an item's screening result outside the step. */
export function apklBadge(s, target) {
  if (!apklOf(s).enabled || !isItem(s, target) || s.session.phase === 'screen') return null;
  return verdict(target.apkl);
}

/** apklBar is the step's banner: how many items pass, and the filter. */
export function apklBar(ctx) {
  const s = ctx.state;
  const a = apklOf(s);
  if (!a.enabled || !['screen', 'vote'].includes(s.session.phase)) return null;
  const items = [...s.groups.values(), ...[...s.notes.values()].filter((n) => !n.hidden && !n.pending)].filter((x) => isItem(s, x));
  const passed = items.filter((x) => x.apkl && x.apkl.passed).length;
  const f = ctx.ui.apklFilter || 'all';
  return h('div', { key: 'apkl', class: 'banner banner-apkl', 'data-testid': 'apkl-bar', role: 'region', 'aria-label': t('apkl.label') },
    h('span', { 'data-testid': 'apkl-count' }, t('apkl.count', { n: passed, total: items.length })),
    h('span', { class: 'apkl-rule' }, t(a.mode === 'score' ? 'apkl.ruleScore' : 'apkl.ruleCheck'), ' ', t(a.scope === 'passed' ? 'apkl.scopePassedNote' : 'apkl.scopeAllNote')),
    h('div', { class: 'apkl-filter', role: 'radiogroup', 'aria-label': t('apkl.filter') },
      ['all', 'passed', 'failed'].map((v) => h('button', {
        key: v, type: 'button', role: 'radio', class: 'chip-btn' + (f === v ? ' on' : ''), 'aria-checked': String(f === v), 'data-testid': 'apkl-filter-' + v,
        onclick: () => ctx.setUI({ apklFilter: v }),
      }, t('apkl.filter.' + v)))));
}

/** apklSettings is the APKL block of the facilitator's settings dialog. */
export function apklSettings(ctx) {
  const s = ctx.state;
  const a = apklOf(s);
  const set = (patch) => ctx.cmd('settings.update', { apkl: patch });
  const choice = (name, cur, opts) => h('label', { class: 'field apkl-choice' },
    h('span', { class: 'field-label' }, t('apkl.set.' + name)),
    h('select', { name: 'apkl-' + name, 'data-testid': 'setting-apkl-' + name, value: cur, ref: (n) => { n.value = cur; }, onchange: (e) => set({ [name]: e.target.value }) },
      opts.map((o) => h('option', { key: o, value: o }, t('apkl.set.' + name + '.' + o)))));
  return h('div', { class: 'apkl-settings', 'data-testid': 'apkl-settings' },
    h('label', { class: 'switch-row', 'data-testid': 'setting-apkl' },
      h('span', { class: 'switch-text' }, h('span', { class: 'switch-label' }, t('apkl.set.enabled')), h('span', { class: 'switch-hint' }, t('apkl.set.enabledHint'))),
      h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: a.enabled, 'data-testid': 'setting-apkl-input', onchange: (e) => set({ enabled: e.target.checked }) })),
    a.enabled ? h('div', { class: 'apkl-choices' },
      choice('mode', a.mode, ['check', 'score']),
      choice('raters', a.raters, ['all', 'facilitator']),
      choice('scope', a.scope, ['passed', 'all'])) : null);
}
