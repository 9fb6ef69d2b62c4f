// swatches.js — small pieces the composer (columns.js) and the card editor
// (note.js) share: the note colors, their picker and a quiet focus.
import { h } from '../dom.js';
import { t } from '../i18n.js';

export const COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'];

/** focusQuiet focuses without the browser's own scrolling (which zooms a
 * phone's viewport out when the field sits in a horizontally scrolled lane),
 * then brings the field into view inside its lane. */
export function focusQuiet(node) {
  node.focus({ preventScroll: true });
  node.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** colorPicker is a radio group of the six note colors. */
export function colorPicker(current, onPick, name) {
  return h('div', { class: 'colors', role: 'radiogroup', 'aria-label': t('note.color') },
    COLORS.map((col) => h('button', {
      key: col, type: 'button', role: 'radio', class: 'swatch note-' + col + (col === current ? ' on' : ''),
      'aria-checked': String(col === current), 'aria-label': t('color.' + col), 'data-testid': 'color-' + col, name,
      onclick: () => onPick(col),
    })));
}
