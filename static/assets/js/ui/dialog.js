// dialog.js — modal dialogs on the native <dialog> element (focus trap,
// Escape and the backdrop for free). Content is rendered with the same
// vnode renderer as the page, so an open dialog can re-render live.
import { h, render } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from './icons.js';

const open = new Set();

/**
 * openDialog shows a modal. opts: title, testid, wide, body() → vnodes,
 * footer() → vnodes, onClose. Returns {el, update, close}.
 */
export function openDialog(opts) {
  const dlg = document.createElement('dialog');
  dlg.className = 'dlg' + (opts.wide ? ' dlg-wide' : '');
  if (opts.testid) dlg.setAttribute('data-testid', opts.testid);
  dlg.setAttribute('aria-label', opts.title || '');
  document.body.appendChild(dlg);
  const handle = {
    el: dlg,
    update() {
      render(dlg, h(opts.onSubmit ? 'form' : 'div', { class: 'dlg-form', onsubmit: opts.onSubmit ? (e) => { e.preventDefault(); opts.onSubmit(new FormData(e.target), handle); } : null },
        h('header', { class: 'dlg-head' },
          h('h2', { class: 'dlg-title' }, opts.title || ''),
          h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('common.close'), 'data-testid': 'dialog-close', onclick: () => handle.close() }, icon('x'))),
        h('div', { class: 'dlg-body' }, opts.body ? opts.body(handle) : null),
        opts.footer ? h('footer', { class: 'dlg-foot' }, opts.footer(handle)) : null));
    },
    close(value) {
      if (!dlg.isConnected) return;
      open.delete(handle);
      try { dlg.close(); } catch (_) { /* ignore */ }
      dlg.remove();
      if (opts.onClose) opts.onClose(value);
      if (handle.returnFocus && handle.returnFocus.isConnected) handle.returnFocus.focus();
    },
    returnFocus: document.activeElement,
  };
  dlg.addEventListener('cancel', (e) => { e.preventDefault(); handle.close(); });
  dlg.addEventListener('click', (e) => { if (e.target === dlg) handle.close(); });
  handle.update();
  open.add(handle);
  dlg.showModal();
  const first = dlg.querySelector('[autofocus]') || dlg.querySelector('.dlg-body input, .dlg-body textarea, .dlg-body select, .dlg-body button');
  if (first) first.focus();
  return handle;
}

/** updateDialogs re-renders every open dialog (after a state change). */
export function updateDialogs() {
  for (const d of open) d.update();
}

export function closeAllDialogs() {
  for (const d of [...open]) d.close();
}

/** confirmDialog asks a yes/no question; resolves true on yes. */
export function confirmDialog(message, { title, ok, danger, testid } = {}) {
  return new Promise((resolve) => {
    let answered = false;
    const d = openDialog({
      title: title || t('common.confirm'),
      testid: testid || 'confirm-dialog',
      body: () => h('p', { class: 'dlg-text' }, message),
      footer: (hd) => [
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => hd.close() }, t('common.cancel')),
        h('button', { type: 'submit', class: 'btn ' + (danger ? 'btn-danger' : 'btn-primary'), 'data-testid': 'confirm-ok', autofocus: true }, ok || t('common.ok')),
      ],
      onSubmit: (_, hd) => { answered = true; hd.close(); },
      onClose: () => resolve(answered),
    });
    return d;
  });
}

/** promptDialog asks for one line (or multiline) text; resolves the text or null. */
export function promptDialog({ title, label, value = '', ok, multiline, max = 200, testid, extra }) {
  return new Promise((resolve) => {
    let result = null;
    openDialog({
      title,
      testid: testid || 'prompt-dialog',
      body: () => [
        h('label', { class: 'field' },
          h('span', { class: 'field-label' }, label),
          multiline
            ? h('textarea', { name: 'text', rows: 5, maxlength: max, defaultValue: value, 'data-testid': 'prompt-input', autofocus: true, required: true })
            : h('input', { name: 'text', type: 'text', maxlength: max, defaultValue: value, 'data-testid': 'prompt-input', autofocus: true, required: true, autocomplete: 'off' })),
        extra ? extra() : null,
      ],
      footer: (hd) => [
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => hd.close() }, t('common.cancel')),
        h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'prompt-ok' }, ok || t('common.save')),
      ],
      onSubmit: (fd, hd) => {
        const v = String(fd.get('text') || '').trim();
        if (!v) return;
        result = { text: v, form: fd };
        hd.close();
      },
      onClose: () => resolve(result),
    });
  });
}
