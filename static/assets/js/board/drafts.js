// drafts.js — what a person has typed and not yet saved, kept in the
// board's UI state by field key, not in the DOM. A field shows its draft
// when there is one, else the saved value, so no re-render, event, panel
// tab, phase change or lost focus can wipe it, and a field rebuilt (a tab
// switched back, a card moved to another column) comes back with the text.
// A draft ends when its form saves (and the server acks) or is cancelled.
//
// Keys name where the field lives: "<panel>/…" for the side panel's fields
// (so a phase change can tell that someone is typing there), "compose/<column>",
// "edit/<note>", "spot/<target>" for the others.

/** draftOf is the field's text: the draft, else saved. */
export function draftOf(ctx, key, saved = '') {
  const d = ctx.ui.drafts;
  return d.has(key) ? d.get(key) : saved;
}

/** hasDraft reports whether the field has unsaved text. */
export const hasDraft = (ctx, key) => ctx.ui.drafts.has(key);

/**
 * draftProps makes a text field show its draft (or saved) and keep every
 * keystroke in the draft. No re-render per keystroke: the DOM already
 * shows what was typed; a re-render only re-asserts the same value.
 */
export function draftProps(ctx, key, saved = '') {
  return {
    value: draftOf(ctx, key, saved),
    oninput: (e) => setDraft(ctx, key, e.target.value),
  };
}

/** setDraft records the field's text; the first keystroke re-renders (a
 * "Batal" button may appear). */
export function setDraft(ctx, key, value) {
  const had = ctx.ui.drafts.has(key);
  ctx.ui.drafts.set(key, value);
  if (!had) ctx.schedule();
}

/** dropDraft ends a draft (saved or cancelled); with sent, only while the
 * field still holds what was sent, so text typed after a save stays. */
export function dropDraft(ctx, key, sent) {
  if (sent !== undefined && ctx.ui.drafts.get(key) !== sent) return;
  ctx.ui.drafts.delete(key);
  ctx.schedule();
}

/** dropDrafts ends every draft whose key starts with prefix. */
export function dropDrafts(ctx, prefix) {
  for (const k of [...ctx.ui.drafts.keys()]) if (k.startsWith(prefix)) ctx.ui.drafts.delete(k);
  ctx.schedule();
}

/** draftKeys lists the keys that start with prefix. */
export const draftKeys = (ctx, prefix) => [...ctx.ui.drafts.keys()].filter((k) => k.startsWith(prefix));

/**
 * typingIn reports whether someone is typing in the panel tab panelId: a
 * draft lives there, or a text field in the panel has the focus.
 */
export function typingIn(ctx, panelId, root) {
  if (draftKeys(ctx, panelId + '/').length) return true;
  const a = document.activeElement;
  const panel = root && root.querySelector('.panel');
  return !!(a && panel && panel.contains(a) && /^(TEXTAREA|INPUT|SELECT)$/.test(a.tagName));
}
