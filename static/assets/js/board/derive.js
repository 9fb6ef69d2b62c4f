// derive.js — read-only views of the state for rendering: columns in order,
// notes with the outbox overlaid (pending adds, edits, moves, deletes), the
// USG ranking, target labels.
import { usgKind } from './perm.js';
import { screenedOut } from './apkl.js';

const byPos = (a, b) => (a.position ?? 0) - (b.position ?? 0) || String(a.id).localeCompare(String(b.id));

export function columns(s) {
  return [...s.columns.values()].sort(byPos);
}

export function groupsIn(s, columnId) {
  return [...s.groups.values()].filter((g) => g.columnId === columnId).sort(byPos);
}

/**
 * displayNotes returns every note to show: the state's notes with the
 * outbox applied. acked maps a created note id → its note.add command, for
 * the moment between the ack and the note.added event.
 */
export function displayNotes(s, outbox, acked) {
  const out = new Map();
  for (const n of s.notes.values()) out.set(n.id, n);
  let seqPos = 1e12;
  for (const [id, cmd] of acked) {
    if (s.notes.has(id)) { acked.delete(id); continue; }
    out.set(id, pendingNote(id, cmd, seqPos++));
  }
  for (const c of outbox) {
    if (c.type === 'note.add') {
      out.set('pending:' + c.ref, pendingNote('pending:' + c.ref, c, seqPos++));
    } else if (c.type === 'note.update' && out.has(c.id)) {
      const n = out.get(c.id);
      out.set(c.id, { ...n, text: c.text ?? n.text, color: c.color ?? n.color, pending: true });
    } else if (c.type === 'note.move' && out.has(c.id)) {
      const n = out.get(c.id);
      const col = c.columnId || n.columnId;
      let groupId = n.groupId;
      if (c.groupId !== undefined) groupId = c.groupId || null;
      else if (col !== n.columnId) groupId = null;
      out.set(c.id, { ...n, columnId: col, groupId, pending: true });
    } else if (c.type === 'note.delete') {
      out.delete(c.id);
    }
  }
  return out;
}

function pendingNote(id, c, pos) {
  return { id, columnId: c.columnId, groupId: c.groupId || null, text: c.text, color: c.color || 'yellow', position: pos, pending: true, mine: true, votes: 0, usg: { u: 0, s: 0, g: 0, total: 0, raters: 0 } };
}

/** notesByColumn groups display notes by column, sorted. */
export function notesByColumn(notes) {
  const m = new Map();
  for (const n of notes.values()) {
    if (!m.has(n.columnId)) m.set(n.columnId, []);
    m.get(n.columnId).push(n);
  }
  for (const list of m.values()) list.sort(byPos);
  return m;
}

/** ranking lists scored or voted problems, by USG total then votes. */
export function ranking(s) {
  const rows = [];
  const kindOf = (cid) => (s.columns.get(cid) || {}).kind;
  for (const g of s.groups.values()) {
    if (!usgKind(kindOf(g.columnId))) continue;
    rows.push({ id: g.id, label: g.title, group: true, columnId: g.columnId, usg: g.usg, votes: g.votes, apkl: g.apkl });
  }
  for (const n of s.notes.values()) {
    if (n.hidden || !usgKind(kindOf(n.columnId))) continue;
    rows.push({ id: n.id, label: n.text, group: false, columnId: n.columnId, usg: n.usg, votes: n.votes, apkl: n.apkl });
  }
  return rows
    // With APKL's scope "passed", what did not pass stays out, as in the minutes.
    .filter((r) => ((r.usg && r.usg.raters > 0) || r.votes > 0) && !screenedOut(s, r))
    .sort((a, b) => (b.usg.total - a.usg.total) || (b.votes - a.votes) || a.label.localeCompare(b.label));
}

/** label is a short text naming a note or group. */
export function label(s, id, max = 60) {
  const g = s.groups.get(id);
  let text = g ? g.title : '';
  const n = s.notes.get(id);
  if (n) text = n.hidden ? '•••' : n.text;
  if (!text) return '';
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** hiddenCounts: per column, how many notes this viewer sees face down (participants)
 * or knows are still private (facilitator). */
export function hiddenCounts(s) {
  const m = new Map();
  const fac = s.you.role === 'facilitator';
  for (const n of s.notes.values()) {
    const hidden = n.hidden || (fac && n.private);
    if (hidden) m.set(n.columnId, (m.get(n.columnId) || 0) + 1);
  }
  return m;
}

export function targets(s) {
  const list = [];
  for (const c of columns(s)) {
    for (const g of groupsIn(s, c.id)) list.push({ id: g.id, column: c, label: g.title, group: true });
    for (const n of [...s.notes.values()].filter((x) => x.columnId === c.id && !x.hidden).sort(byPos)) {
      list.push({ id: n.id, column: c, label: n.text, group: false });
    }
  }
  return list;
}
