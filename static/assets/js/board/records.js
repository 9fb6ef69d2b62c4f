// records.js — saving a conclusion (kesimpulan) from whichever field holds
// it: the session's, the spotlight's or the dialog's. It sends what the
// field holds, not what the DOM happened to show after a re-render, and
// says "saved" only when the server acked a change.
import { t } from '../i18n.js';
import { toast } from '../ui/toast.js';
import { draftOf, dropDraft } from './drafts.js';

/** savedRecord is the stored conclusion of a target ('' = the session). */
export function savedRecord(ctx, targetId) {
  const r = ctx.state.records.get(targetId || '');
  return r ? r.text : '';
}

/**
 * saveRecord sends the conclusion typed under key for targetId. Nothing
 * typed and nothing stored, or the same as stored: no command, and a toast
 * that says so. An emptied field clears the stored conclusion.
 */
export function saveRecord(ctx, targetId, key, text) {
  const saved = savedRecord(ctx, targetId);
  const raw = text !== undefined ? text : draftOf(ctx, key, saved);
  const v = String(raw).trim();
  if (v === saved) {
    if (key) dropDraft(ctx, key);
    toast(t(v ? 'record.unchanged' : 'record.nothing'), 'info');
    return Promise.resolve(null);
  }
  return ctx.cmd('record.set', { targetId: targetId || null, text: v }).then((ack) => {
    if (!ack) return null;
    if (key) dropDraft(ctx, key, raw);
    toast(t(v ? 'record.saved' : 'record.cleared'), 'ok');
    return ack;
  });
}
