// menu.js — accessible pop-up menus (role=menu, arrow keys, Escape, focus
// back to the button). On a narrow screen the menu is a bottom sheet, so it
// is reachable by thumb; nothing in the page is hover-only.
import { el } from '../dom.js';
import { t } from '../i18n.js';

let current = null;

export function closeMenu() {
  if (!current) return;
  const { root, backdrop, anchor, onKey } = current;
  current = null;
  document.removeEventListener('keydown', onKey, true);
  root.remove();
  backdrop.remove();
  if (anchor && anchor.isConnected) {
    anchor.setAttribute('aria-expanded', 'false');
    anchor.focus();
  }
}

/**
 * openMenu shows items under anchor. An item: {label, onSelect, danger,
 * disabled, checked, testid, hint} or {separator: true} or {heading}.
 */
export function openMenu(anchor, items, { title, testid } = {}) {
  closeMenu();
  const backdrop = el('div', { class: 'menu-backdrop' });
  backdrop.addEventListener('click', closeMenu);
  const root = el('div', { class: 'menu', role: 'menu', 'data-testid': testid || 'menu', 'aria-label': title || '' });
  if (title) root.appendChild(el('div', { class: 'menu-title' }, title));
  const buttons = [];
  const clean = [];
  for (const it of items) {
    if (!it) continue;
    if (it.separator && (!clean.length || clean[clean.length - 1].separator)) continue;
    clean.push(it);
  }
  while (clean.length && clean[clean.length - 1].separator) clean.pop();
  if (!clean.some((it) => !it.separator && !it.heading)) clean.push({ label: t('menu.nothing'), disabled: true });
  for (const it of clean) {
    if (!it) continue;
    if (it.separator) { root.appendChild(el('div', { class: 'menu-sep', role: 'separator' })); continue; }
    if (it.heading) { root.appendChild(el('div', { class: 'menu-heading' }, it.heading)); continue; }
    const b = el('button', {
      type: 'button',
      class: 'menu-item' + (it.danger ? ' menu-danger' : '') + (it.checked ? ' menu-checked' : ''),
      role: it.checked != null ? 'menuitemradio' : 'menuitem',
      'aria-checked': it.checked != null ? String(!!it.checked) : null,
      'data-testid': it.testid || null,
      disabled: !!it.disabled,
      tabindex: '-1',
    }, it.label, it.hint ? el('span', { class: 'menu-hint' }, it.hint) : null);
    b.addEventListener('click', () => {
      closeMenu();
      it.onSelect && it.onSelect();
    });
    root.appendChild(b);
    buttons.push(b);
  }
  root.appendChild(el('button', { type: 'button', class: 'menu-item menu-cancel', role: 'menuitem', tabindex: '-1', onclick: closeMenu }, t('common.cancel')));
  buttons.push(root.lastChild);
  document.body.appendChild(backdrop);
  document.body.appendChild(root);
  if (place(root, anchor)) backdrop.classList.add('dim');
  const onKey = (e) => {
    const enabled = buttons.filter((b) => !b.disabled);
    const i = enabled.indexOf(document.activeElement);
    if (e.key === 'Escape' || e.key === 'Tab') { e.preventDefault(); e.stopPropagation(); closeMenu(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); enabled[(i + 1) % enabled.length].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); enabled[(i - 1 + enabled.length) % enabled.length].focus(); }
    else if (e.key === 'Home') { e.preventDefault(); enabled[0].focus(); }
    else if (e.key === 'End') { e.preventDefault(); enabled[enabled.length - 1].focus(); }
  };
  document.addEventListener('keydown', onKey, true);
  current = { root, backdrop, anchor, onKey };
  if (anchor) anchor.setAttribute('aria-expanded', 'true');
  const first = buttons.find((b) => !b.disabled);
  if (first) first.focus();
}

function place(root, anchor) {
  if (window.innerWidth < 640 || !anchor) {
    root.classList.add('menu-sheet');
    return true;
  }
  const r = anchor.getBoundingClientRect();
  const w = root.offsetWidth;
  const hgt = root.offsetHeight;
  let left = Math.min(r.left, window.innerWidth - w - 8);
  left = Math.max(8, left);
  let top = r.bottom + 4;
  if (top + hgt > window.innerHeight - 8) top = Math.max(8, r.top - hgt - 4);
  root.style.left = left + 'px';
  root.style.top = top + 'px';
  return false;
}
