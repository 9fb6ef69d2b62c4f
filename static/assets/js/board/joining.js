// joining.js — the facilitator's rescue for a flooded session, in the
// invite card: close or reopen joining (kunci pendaftaran), and give the
// session a new join code (the old one stops working at once). The server
// enforces both and sends the new code to staff only; this only asks.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { confirmDialog } from '../ui/dialog.js';

/** joiningControls are the facilitator's buttons; null for anyone else. */
export function joiningControls(ctx, p) {
  if (!p.facEdit) return null;
  const closed = !!(ctx.state.session.settings || {}).joiningClosed;
  const toggle = async () => {
    if (!closed && !(await confirmDialog(t('joining.closeConfirm'), { title: t('joining.closeTitle'), ok: t('joining.close'), testid: 'joining-dialog' }))) return;
    ctx.cmd('settings.update', { joiningClosed: !closed });
  };
  const rotate = async () => {
    if (await confirmDialog(t('joining.rotateConfirm'), { title: t('joining.rotateTitle'), danger: true, ok: t('joining.rotate'), testid: 'rotate-dialog' })) ctx.cmd('session.rotateCode');
  };
  return h('div', { class: 'joining', 'data-testid': 'joining' },
    closed ? h('p', { class: 'joining-state', role: 'status', 'data-testid': 'joining-closed' }, icon('lock', 14), t('joining.isClosed')) : null,
    h('div', { class: 'invite-btns' },
      h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'joining-toggle', 'aria-pressed': String(closed), onclick: toggle },
        icon('lock', 14), t(closed ? 'joining.open' : 'joining.close')),
      h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'rotate-code', onclick: rotate }, icon('qr', 14), t('joining.rotate'))));
}
