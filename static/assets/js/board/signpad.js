// signpad.js — the signed attendance list (daftar hadir): a dialog where a
// participant adds their NIP and jabatan and draws a signature with mouse,
// pen or finger. The drawing is kept as strokes of integer points in a
// fixed 300×100 box and sent as a compact path ("M12 30L14 31…"); the
// server checks it (board/signatures.go) and decides. Undo, clear and save
// are buttons, so a keyboard user reaches them like everything else.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { openDialog } from '../ui/dialog.js';
import { toast } from '../ui/toast.js';

// The box and the limits of board/limits.go (the server enforces them; the
// pad stops early so nobody draws what would be refused).
export const BOX_W = 300;
export const BOX_H = 100;
const MAX_POINTS = 2000;
const MAX_BYTES = 8192;

/** encodePath writes strokes as the path the server expects. */
export function encodePath(strokes) {
  let out = '';
  for (const st of strokes) st.forEach(([x, y], i) => { out += (i ? 'L' : 'M') + x + ' ' + y; });
  return out;
}

/** parsePath reads a stored path back into strokes (for the preview). */
export function parsePath(path) {
  const strokes = [];
  for (const m of String(path || '').matchAll(/([ML])(\d+) (\d+)/g)) {
    if (m[1] === 'M' || !strokes.length) strokes.push([]);
    strokes[strokes.length - 1].push([+m[2], +m[3]]);
  }
  return strokes;
}

/** signDialog opens the signature pad for the viewer. */
export function signDialog(ctx) {
  if (ctx.ui.signPad) return ctx.ui.signPad; // one pad: a second request does not stack dialogs
  const s = ctx.state;
  const me = s.participants.get(s.you.id) || {};
  let strokes = parsePath(me.signature);
  let canvas = null;
  let drawing = null; // the stroke under the pointer
  let full = false;

  const points = () => strokes.reduce((n, st) => n + st.length, 0);
  const paint = () => {
    if (!canvas) return;
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    g.lineWidth = 2.5;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#111';
    for (const st of strokes) {
      g.beginPath();
      st.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
      if (st.length === 1) g.lineTo(st[0][0] + 0.1, st[0][1]);
      g.stroke();
    }
  };
  // at turns a pointer position into a point of the box, quantised.
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    const x = Math.round(((e.clientX - r.left) / r.width) * BOX_W);
    const y = Math.round(((e.clientY - r.top) / r.height) * BOX_H);
    return [Math.min(BOX_W, Math.max(0, x)), Math.min(BOX_H, Math.max(0, y))];
  };
  const add = (p) => {
    const last = drawing[drawing.length - 1];
    if (last && Math.abs(last[0] - p[0]) + Math.abs(last[1] - p[1]) < 2) return;
    if (points() >= MAX_POINTS || encodePath(strokes).length > MAX_BYTES - 16) {
      if (!full) toast(t('sign.full'), 'error');
      full = true;
      return;
    }
    drawing.push(p);
    paint();
  };
  const down = (e) => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    drawing = [];
    strokes.push(drawing);
    add(at(e));
  };
  const move = (e) => {
    if (!drawing) return;
    e.preventDefault();
    for (const ev of e.getCoalescedEvents ? e.getCoalescedEvents() : [e]) add(at(ev));
  };
  const up = () => {
    if (drawing && !drawing.length) strokes.pop();
    drawing = null;
    d.update();
  };
  const setRef = (el) => {
    canvas = el;
    el.width = BOX_W;
    el.height = BOX_H;
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    paint();
  };

  const save = async (form, hd) => {
    if (!strokes.length) {
      toast(t('sign.empty'), 'error');
      return;
    }
    const nip = String(form.get('nip') || '').trim();
    const jabatan = String(form.get('jabatan') || '').trim();
    if (nip !== (me.nip || '') || jabatan !== (me.jabatan || '')) {
      if (!(await ctx.cmd('participant.update', { nip, jabatan }))) return;
    }
    if (await ctx.cmd('participant.sign', { path: encodePath(strokes) })) {
      toast(t('sign.saved'), 'ok');
      hd.close();
    }
  };

  const d = openDialog({
    title: t('sign.title'),
    testid: 'sign-dialog',
    onSubmit: (form, hd) => { save(form, hd); },
    onClose: () => { ctx.ui.signPad = null; },
    body: () => [
      h('p', { class: 'dlg-text' }, t('sign.help')),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('sign.nip'), t('common.optional')),
        h('input', { name: 'nip', inputmode: 'numeric', maxlength: 30, pattern: '[0-9 ]*', autocomplete: 'off', defaultValue: me.nip || '', 'data-testid': 'sign-nip' })),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('sign.jabatan'), t('common.optional')),
        h('input', { name: 'jabatan', maxlength: 120, autocomplete: 'organization-title', defaultValue: me.jabatan || '', 'data-testid': 'sign-jabatan' })),
      h('span', { class: 'field-label', id: 'sign-pad-label' }, t('sign.pad')),
      h('div', { class: 'sign-pad-box' },
        h('canvas', { class: 'sign-pad', ref: setRef, unmanaged: true, role: 'img', 'aria-labelledby': 'sign-pad-label', 'data-testid': 'sign-pad', 'data-points': String(points()) })),
      h('div', { class: 'sign-tools' },
        h('button', { type: 'button', class: 'btn btn-ghost btn-sm', disabled: !strokes.length, 'data-testid': 'sign-undo', onclick: () => { strokes.pop(); full = false; paint(); d.update(); } }, t('sign.undo')),
        h('button', { type: 'button', class: 'btn btn-ghost btn-sm', disabled: !strokes.length, 'data-testid': 'sign-clear', onclick: () => { strokes = []; full = false; paint(); d.update(); } }, t('common.clear'))),
    ],
    footer: (hd) => [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => hd.close() }, t('common.cancel')),
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'sign-save' }, t('sign.save')),
    ],
  });
  ctx.ui.signPad = d;
  return d;
}
