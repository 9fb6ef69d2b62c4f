// toast.js — short messages at the bottom of the screen (aria-live), used
// for server errors in the user's language and for confirmations.
import { el } from '../dom.js';

let region = null;

function ensure() {
  if (region && document.body.contains(region)) return region;
  region = el('div', { class: 'toasts', role: 'status', 'aria-live': 'polite', 'data-testid': 'toasts' });
  document.body.appendChild(region);
  return region;
}

/** toast shows msg; kind is 'error', 'ok' or 'info'. */
export function toast(msg, kind = 'info', ms = 4500) {
  const r = ensure();
  const item = el('div', { class: `toast toast-${kind}`, 'data-testid': 'toast', 'data-kind': kind }, msg);
  r.appendChild(item);
  while (r.children.length > 4) r.firstChild.remove();
  setTimeout(() => {
    item.classList.add('toast-out');
    setTimeout(() => item.remove(), 300);
  }, ms);
}
