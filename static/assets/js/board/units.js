// units.js — units side by side (issue 13): the unit filter and the
// "colour by unit" switch with its legend above the lanes, and the USG per
// unit under each row of the ranking. A note's unit is `authorUnit`, which
// the server sets only when this viewer may learn it (anonymity wins): the
// page never guesses a unit from the participants list.
import { h } from '../dom.js';
import { t, fmtNum } from '../i18n.js';

/** PALETTE is how many unit colours there are (.unit-c0 … in units.css). */
const PALETTE = 8;

/** unitsOf lists the units the viewer can see on readable notes, sorted. */
export function unitsOf(s) {
  const set = new Set();
  for (const n of s.notes.values()) if (!n.hidden && n.authorUnit) set.add(n.authorUnit);
  return [...set].sort((a, b) => a.localeCompare(b));
}

/** unitClass is the colour class of a note, or '' (colouring off, no unit). */
export function unitClass(ctx, n) {
  if (!ctx.ui.unitColour || !n.authorUnit) return '';
  const i = unitsOf(ctx.state).indexOf(n.authorUnit);
  return i < 0 ? '' : 'unit-c' + (i % PALETTE);
}

/** filterByUnit drops from notes (a Map by id) those of other units while
 * a unit is chosen; face-down and pending notes name no unit, so they go too. */
export function filterByUnit(ctx, notes) {
  const f = ctx.ui.unitFilter || '';
  if (!f) return;
  for (const [id, n] of notes) if (n.hidden || n.pending || n.authorUnit !== f) notes.delete(id);
}

/** unitBar is the row above the lanes; nothing while no note shows a unit. */
export function unitBar(ctx) {
  const s = ctx.state;
  const units = unitsOf(s);
  const f = ctx.ui.unitFilter || '';
  if (!units.length && !f) return null;
  const colour = !!ctx.ui.unitColour;
  return h('div', { class: 'unit-bar', role: 'group', 'aria-label': t('unit.bar'), 'data-testid': 'unit-bar' },
    h('label', { class: 'unit-filter' },
      h('span', null, t('unit.filter')),
      h('select', {
        // The options carry the choice (a select's value set before its
        // options exist would leave it blank).
        'data-testid': 'unit-filter',
        onchange: (e) => ctx.setUI({ unitFilter: e.target.value }),
      },
      h('option', { key: '', value: '', selected: !f }, t('unit.all')),
      units.map((u) => h('option', { key: u, value: u, selected: u === f }, u)))),
    h('label', { class: 'unit-colour' },
      h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: colour, 'data-testid': 'unit-colour',
        onchange: (e) => ctx.setUI({ unitColour: e.target.checked }) }),
      h('span', null, t('unit.colour'))),
    colour ? h('ul', { class: 'unit-legend', 'aria-label': t('unit.legend'), 'data-testid': 'unit-legend' },
      units.map((u, i) => h('li', { key: u },
        h('span', { class: 'unit-swatch unit-c' + (i % PALETTE), 'aria-hidden': 'true' }), u))) : null);
}

/** unitChip names a note's unit in its footer while colouring is on, so
 * colour is never the only sign. */
export function unitChip(ctx, n) {
  if (!ctx.ui.unitColour || !n.authorUnit) return null;
  return h('span', { class: 'unit-chip', 'data-testid': 'note-unit' }, n.authorUnit);
}

/** byUnitToggle switches the ranking's USG per unit on and off. */
export function byUnitToggle(ctx) {
  return h('label', { class: 'unit-colour rank-by-unit' },
    h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: !!ctx.ui.rankByUnit, 'data-testid': 'rank-by-unit',
      onchange: (e) => ctx.setUI({ rankByUnit: e.target.checked }) }),
    h('span', null, t('rank.byUnit')));
}

/** byUnitRows are the sub-rows of one ranking row: each unit's mean USG
 * (as the server broke it out; an anonymous session's small units never are). */
export function byUnitRows(ctx, id) {
  if (!ctx.ui.rankByUnit) return [];
  const s = ctx.state;
  const tg = s.notes.get(id) || s.groups.get(id);
  const list = (tg && tg.usgByUnit) || [];
  const f1 = (x) => fmtNum(x, true);
  return list.map((u) => h('tr', { key: id + '/' + u.unit, class: 'rank-unit', 'data-testid': 'ranking-unit-row' },
    h('td', null, ''),
    h('td', { class: 'left' }, h('span', { class: 'unit-chip' }, u.unit)),
    h('td', null, f1(u.u)), h('td', null, f1(u.s)), h('td', null, f1(u.g)),
    h('td', { class: 'rank-total' }, f1(u.total)),
    h('td', null, String(u.raters)), h('td', null, '')));
}
