// devices.js — the same person on a second device, and one row per person:
// the "Buka di perangkat lain" dialog (a single-use link and its QR code),
// redeeming such a link on the new device, the facilitator's card of
// waiting rejoin requests, and merging two attendance rows. The server
// decides every rule; these only ask.
import { h, render } from '../dom.js';
import { t, fmtTime, errorText } from '../i18n.js';
import { icon } from '../ui/icons.js';
import { toast } from '../ui/toast.js';
import { openDialog } from '../ui/dialog.js';
import { qrURL, makeDeviceLink, claimDeviceLink, decideRejoin } from '../api.js';
import { saveSession } from '../storage.js';
import { joinBase, loadAddresses } from './reach.js';

/** deviceLinkDialog shows a fresh single-use link (and QR) that opens this
 * board on another device as the same person. */
export function deviceLinkDialog(ctx) {
  const st = { link: null, error: '', busy: false };
  if (!ctx.reach) loadAddresses(ctx);
  const fetchLink = async (d) => {
    st.busy = true; st.error = ''; d.update();
    try {
      st.link = await makeDeviceLink(ctx.sessionId, ctx.token);
    } catch (e) {
      st.link = null;
      st.error = errorText(e.code);
    }
    st.busy = false;
    d.update();
  };
  const d = openDialog({
    title: t('device.title'),
    testid: 'device-dialog',
    body: () => {
      const url = st.link ? joinBase(ctx).base + st.link.path : '';
      return [
        h('p', { class: 'dlg-text' }, t('device.help')),
        st.error ? h('p', { class: 'form-error', role: 'alert' }, st.error) : null,
        url ? h('div', { class: 'device-link' },
          h('img', { class: 'device-qr', src: qrURL(url), alt: t('device.qrAlt'), width: 200, height: 200, 'data-testid': 'device-qr' }),
          h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('device.link')),
            h('input', { type: 'text', readonly: true, value: url, 'data-testid': 'device-link', onfocus: (e) => e.target.select() })),
          h('p', { class: 'muted', 'data-testid': 'device-expires' }, t('device.expires', { time: fmtTime(st.link.expiresAt) }))) : null,
        !url && !st.error ? h('p', { class: 'muted', role: 'status' }, t('common.wait')) : null,
      ];
    },
    footer: (hd) => [
      h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'device-new', disabled: st.busy, onclick: () => fetchLink(hd) }, t('device.new')),
      st.link ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'device-copy', onclick: () => copy(joinBase(ctx).base + st.link.path) }, t('device.copy')) : null,
    ],
  });
  fetchLink(d);
  return d;
}

function copy(text) {
  const done = () => toast(t('device.copied'), 'info');
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => toast(t('device.copyFailed'), 'error'));
  else toast(t('device.copyFailed'), 'error');
}

/** claimDevice redeems a link's secret on the new device, keeps the token
 * like a join does, and opens the board. */
export function claimDevice(root, sessionId, secret, app) {
  render(root, h('div', { class: 'gate', 'data-testid': 'device-claiming' },
    h('div', { class: 'gate-card' }, h('p', { class: 'gate-text', role: 'status' }, t('device.claiming')))));
  claimDeviceLink(sessionId, secret).then((r) => {
    saveSession(r.sessionId, { token: r.token, participantId: r.participantId });
    toast(t('device.claimed'), 'info');
    app.navigate('/s/' + encodeURIComponent(r.sessionId), true);
  }, (e) => {
    render(root, h('div', { class: 'gate', 'data-testid': 'gate-deviceLink' },
      h('div', { class: 'gate-card' },
        h('span', { class: 'brand-mark brand-mark-lg', 'aria-hidden': 'true' }, 'R'),
        h('h1', { class: 'gate-title' }, t('device.failedTitle')),
        h('p', { class: 'gate-text', role: 'alert' }, e.status === 404 ? t('device.failed') : errorText(e.code)),
        h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'gate-home', onclick: () => app.navigate('/') }, t('gate.home')))));
  });
  return { unmount() {} };
}

/** rejoinCard is the facilitator's list of devices waiting to come in as
 * someone already in the session (live from the server's "rejoin" frame). */
export function rejoinCard(ctx) {
  if (!ctx.state || ctx.state.you.role !== 'facilitator') return null;
  // Expired requests leave the card by the server's clock (the snapshot's serverTime).
  const now = Date.now() + (ctx.state.clockOffset || 0);
  const list = (ctx.rejoins || []).filter((q) => Date.parse(q.expiresAt) > now);
  if (!list.length) return null;
  return h('section', { key: 'rejoin', class: 'rejoin-card', 'aria-labelledby': 'rejoin-h', 'data-testid': 'rejoin-card' },
    h('h2', { class: 'rejoin-h', id: 'rejoin-h' }, icon('users', 16), t('rejoin.cardTitle', { n: list.length })),
    h('ul', { class: 'rejoin-list' }, list.map((q) => rejoinItem(ctx, q))));
}

function rejoinItem(ctx, q) {
  const sel = 'rj-' + q.id.slice(0, 8);
  const many = q.candidates.length > 1;
  const one = q.candidates[0] || {};
  const answer = async (approve) => {
    const body = { approve };
    if (approve && many) body.participantId = document.getElementById(sel).value;
    try {
      await decideRejoin(ctx.sessionId, ctx.token, q.id, body);
      toast(t(approve ? 'rejoin.approved' : 'rejoin.refused', { name: q.name }), 'info');
    } catch (e) {
      toast(errorText(e.code), 'error');
    }
    ctx.rejoins = (ctx.rejoins || []).filter((x) => x.id !== q.id);
    ctx.schedule();
  };
  return h('li', { key: q.id, class: 'rejoin-item', 'data-testid': 'rejoin-item' },
    h('p', { class: 'rejoin-text' }, many ? t('rejoin.asksMany', { name: q.name }) : t('rejoin.asks', { name: q.name, as: one.name + (one.unit ? ' (' + one.unit + ')' : ''), time: fmtTime(one.joinedAt) })),
    many ? h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('rejoin.which')),
      h('select', { id: sel, 'data-testid': 'rejoin-which' }, q.candidates.map((c) => h('option', { key: c.id, value: c.id },
        `${c.name}${c.unit ? ' · ' + c.unit : ''} · ${fmtTime(c.joinedAt)}`)))) : null,
    h('div', { class: 'rejoin-btns' },
      h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'rejoin-refuse', onclick: () => answer(false) }, t('rejoin.refuse')),
      h('button', { type: 'button', class: 'btn btn-primary btn-sm', 'data-testid': 'rejoin-approve', onclick: () => answer(true) }, t('rejoin.approve'))));
}

/** mergeDialog merges person's row into another (the facilitator's tool for
 * someone who joined twice): person's row goes, the chosen one stays. */
export function mergeDialog(ctx, person) {
  const s = ctx.state;
  const others = [...s.participants.values()].filter((p) => p.id !== person.id)
    .sort((a, b) => (a.name.toLowerCase() === person.name.toLowerCase() ? 0 : 1) - (b.name.toLowerCase() === person.name.toLowerCase() ? 0 : 1) || a.name.localeCompare(b.name));
  if (!others.length) return;
  openDialog({
    title: t('merge.title', { name: person.name }),
    testid: 'merge-dialog',
    body: () => [
      h('p', { class: 'dlg-text' }, t('merge.help', { name: person.name })),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('merge.into')),
        h('select', { name: 'intoId', 'data-testid': 'merge-into', autofocus: true }, others.map((p) => h('option', { key: p.id, value: p.id },
          `${p.name}${p.unit ? ' · ' + p.unit : ''}${p.joinedAt ? ' · ' + fmtTime(p.joinedAt) : ''}`)))),
      h('p', { class: 'muted' }, t('merge.votes')),
    ],
    footer: (hd) => [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => hd.close() }, t('common.cancel')),
      h('button', { type: 'submit', class: 'btn btn-danger', 'data-testid': 'merge-ok' }, t('merge.ok')),
    ],
    onSubmit: (fd, hd) => {
      const intoId = String(fd.get('intoId') || '');
      hd.close();
      if (intoId) ctx.cmd('participant.merge', { id: person.id, intoId }).then((ack) => { if (ack) toast(t('merge.done'), 'info'); });
    },
  });
}
