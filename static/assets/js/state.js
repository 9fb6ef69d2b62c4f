// state.js — the one reducer: a welcome snapshot replaces the state, each
// event changes it in seq order. The page renders only from this state (plus
// the outbox overlay and local UI state). What the server does silently on a
// deletion (votes, links, records, action targets, spotlight) is mirrored here.

/** fromSnapshot builds a fresh state from a board snapshot. */
export function fromSnapshot(b) {
  const s = {
    seq: b.seq,
    session: { ...b.session },
    columns: new Map(),
    groups: new Map(),
    notes: new Map(),
    links: new Map(),
    actions: new Map(),
    records: new Map(),
    participants: new Map(),
    you: { ...b.you },
    rules: b.rules || {},
    myVotes: new Map(),
    myUsg: new Map(),
    myApkl: new Map(),
    mine: new Set(),
    clockOffset: 0,
    version: 0,
  };
  if (b.session && b.session.serverTime) {
    const st = Date.parse(b.session.serverTime);
    if (!Number.isNaN(st)) s.clockOffset = st - Date.now();
  }
  for (const c of b.columns || []) s.columns.set(c.id, { ...c });
  for (const g of b.groups || []) {
    s.groups.set(g.id, normGroup(g));
    if (g.myVotes) s.myVotes.set(g.id, g.myVotes);
    if (g.myUsg) s.myUsg.set(g.id, g.myUsg);
    if (g.myApkl) s.myApkl.set(g.id, g.myApkl);
  }
  for (const n of b.notes || []) {
    s.notes.set(n.id, normNote(n));
    if (n.mine || (n.authorId && n.authorId === s.you.id)) s.mine.add(n.id);
    if (n.myVotes) s.myVotes.set(n.id, n.myVotes);
    if (n.myUsg) s.myUsg.set(n.id, n.myUsg);
    if (n.myApkl) s.myApkl.set(n.id, n.myApkl);
  }
  for (const l of b.links || []) s.links.set(l.id, { ...l });
  for (const a of b.actions || []) s.actions.set(a.id, { ...a });
  for (const r of b.records || []) if (r.text) s.records.set(r.targetId || '', { ...r });
  for (const p of b.participants || []) s.participants.set(p.id, { ...p });
  return s;
}

// A readable note carries `private: true` while only its author and the
// facilitator may read it (private brainstorm, not yet revealed): snapshots
// and events say so, so the count of such notes is right after a reload.
function normNote(n) {
  if (n.hidden) return { id: n.id, columnId: n.columnId, hidden: true };
  return {
    ...n,
    private: !!n.private,
    groupId: n.groupId || null,
    votes: n.votes || 0,
    usg: n.usg || { u: 0, s: 0, g: 0, total: 0, raters: 0 },
  };
}

function normGroup(g) {
  return {
    id: g.id, columnId: g.columnId, title: g.title, position: g.position,
    votes: g.votes || 0, usg: g.usg || { u: 0, s: 0, g: 0, total: 0, raters: 0 },
    apkl: g.apkl || null,
  };
}

/** dropTarget removes what hangs on a deleted note or group, as the server does. */
function dropTarget(s, id) {
  s.myVotes.delete(id);
  s.myUsg.delete(id);
  s.myApkl.delete(id);
  for (const [lid, l] of s.links) if (l.fromId === id || l.toId === id) s.links.delete(lid);
  s.records.delete(id);
  for (const a of s.actions.values()) if (a.targetId === id) a.targetId = null;
  if (s.session.spotlight === id) s.session.spotlight = null;
}

function deleteNote(s, id) {
  dropTarget(s, id);
  s.notes.delete(id);
  s.mine.delete(id);
}

function deleteGroup(s, id) {
  for (const n of s.notes.values()) if (n.groupId === id) n.groupId = null;
  dropTarget(s, id);
  s.groups.delete(id);
}

function replaceNotes(s, notes) {
  const old = s.notes;
  s.notes = new Map();
  for (const n of notes) {
    s.notes.set(n.id, normNote(n));
    if (!n.hidden && n.authorId && n.authorId === s.you.id) s.mine.add(n.id);
  }
  for (const id of old.keys()) if (!s.notes.has(id)) { s.mine.delete(id); s.myVotes.delete(id); s.myUsg.delete(id); }
}

/** applyResults takes the notes, groups and APKL results an event sends
 * again when the team's results are shown or hidden (settings.hideResults),
 * or when the APKL raters change. */
function applyResults(s, d) {
  if (d.notes) replaceNotes(s, d.notes);
  for (const x of d.groups || []) {
    const prev = s.groups.get(x.id);
    if (prev) s.groups.set(x.id, { ...prev, ...normGroup(x), usgByUnit: x.usgByUnit || [] });
  }
  for (const [id, r] of Object.entries(d.apkl || {})) {
    const tg = target(s, id);
    if (tg) tg.apkl = r;
  }
}

function target(s, id) {
  return s.notes.get(id) || s.groups.get(id) || null;
}

/** applyEvent applies one event frame to s in place. */
export function applyEvent(s, msg) {
  const d = msg.data || {};
  switch (msg.event) {
    case 'note.added':
    case 'note.updated':
    case 'note.moved': {
      const n = normNote(d.note);
      s.notes.set(n.id, n);
      if (msg.event === 'note.added') {
        if ((msg.actorId && msg.actorId === s.you.id) || (n.authorId && n.authorId === s.you.id)) s.mine.add(n.id);
      } else if (n.authorId && n.authorId === s.you.id) {
        s.mine.add(n.id);
      }
      break;
    }
    case 'note.deleted':
      deleteNote(s, d.id);
      break;
    case 'group.added': {
      s.groups.set(d.group.id, normGroup(d.group));
      for (const id of d.noteIds || []) {
        const n = s.notes.get(id);
        if (n) n.groupId = d.group.id;
      }
      break;
    }
    case 'group.updated': {
      const prev = s.groups.get(d.group.id);
      const g = normGroup(d.group);
      if (prev && d.group.votes == null) { g.votes = prev.votes; g.usg = prev.usg; }
      if (prev && !g.apkl) g.apkl = prev.apkl; // group events carry no APKL result

      s.groups.set(g.id, g);
      break;
    }
    case 'group.deleted':
      deleteGroup(s, d.id);
      break;
    case 'column.added':
    case 'column.updated':
      s.columns.set(d.column.id, { ...d.column });
      break;
    case 'column.deleted':
      for (const n of [...s.notes.values()]) if (n.columnId === d.id) deleteNote(s, n.id);
      for (const g of [...s.groups.values()]) if (g.columnId === d.id) deleteGroup(s, g.id);
      s.columns.delete(d.id);
      break;
    case 'vote.changed': {
      const tg = target(s, d.targetId);
      if (tg) tg.votes = d.votes;
      if (d.myVotes != null) {
        if (d.myVotes > 0) s.myVotes.set(d.targetId, d.myVotes);
        else s.myVotes.delete(d.targetId);
      }
      break;
    }
    case 'usg.changed': {
      const tg = target(s, d.targetId);
      if (tg) tg.usg = d.usg;
      if (tg) tg.usgByUnit = d.usgByUnit || [];
      if (d.myUsg) s.myUsg.set(d.targetId, d.myUsg);
      break;
    }
    case 'apkl.changed': {
      const tg = target(s, d.targetId);
      if (tg) tg.apkl = d.apkl;
      if (d.myApkl) s.myApkl.set(d.targetId, d.myApkl);
      break;
    }
    case 'link.added':
      s.links.set(d.link.id, { ...d.link });
      break;
    case 'link.deleted':
      s.links.delete(d.id);
      break;
    case 'action.added':
    case 'action.updated':
    case 'action.progressed':
      s.actions.set(d.action.id, { ...d.action });
      break;
    case 'action.deleted':
      s.actions.delete(d.id);
      break;
    case 'record.set': {
      const r = d.record || {};
      const k = r.targetId || '';
      if (r.text) s.records.set(k, { ...r });
      else s.records.delete(k);
      break;
    }
    case 'participant.joined':
    case 'participant.signed':
    case 'participant.changed': {
      const p = d.participant;
      const prev = s.participants.get(p.id);
      s.participants.set(p.id, { ...(prev || {}), ...p, online: prev ? prev.online : p.online });
      if (p.id === s.you.id) s.you = { ...s.you, role: p.role, name: p.name };
      // A join that brings a unit to three people resends every note.
      if (d.notes) replaceNotes(s, d.notes);
      break;
    }
    case 'participant.removed':
      s.participants.delete(d.id);
      if (d.notes) replaceNotes(s, d.notes);
      break;
    case 'participant.merged': {
      // Two rows of one person became one (board/merge.go): the row that
      // went leaves the list, and authorship and totals come again. The
      // two people's own pages reconnect (close 4009) for a fresh board.
      s.participants.delete(d.id);
      const p = d.participant;
      const prev = s.participants.get(p.id);
      s.participants.set(p.id, { ...(prev || {}), ...p, online: prev ? prev.online : p.online });
      applyResults(s, d);
      break;
    }
    case 'phase.changed':
      s.session.phase = d.phase;
      // Closing the scoring with hidden results sends them to everyone.
      applyResults(s, d);
      break;
    case 'settings.changed': {
      s.session.settings = { ...d.settings };
      s.session.revealed = !!d.revealed;
      // A change of APKL raters re-counts every rated item.
      applyResults(s, d);
      break;
    }
    case 'notes.revealed':
      s.session.revealed = true;
      if (d.notes) replaceNotes(s, d.notes);
      break;
    case 'timer.changed':
      s.session.timer = d.timer || null;
      break;
    case 'spotlight.changed':
      s.session.spotlight = d.targetId || null;
      break;
    case 'invitation.changed':
      s.session.invitation = { ...d.invitation };
      break;
    case 'session.codeChanged':
      // Staff get the new code; everyone else gets null and keeps none.
      s.session.joinCode = d.joinCode || '';
      break;
    case 'session.closed':
      s.session.closed = true;
      s.session.closedAt = d.closedAt;
      s.session.timer = null;
      break;
    default:
      break;
  }
  s.seq = msg.seq;
  s.version++;
}

/** applyPresence merges who is online. */
export function applyPresence(s, msg) {
  const online = new Set();
  for (const p of msg.participants || []) {
    if (p.online) online.add(p.id);
    if (!s.participants.has(p.id)) s.participants.set(p.id, { id: p.id, name: p.name, unit: '', role: 'participant', online: !!p.online });
  }
  for (const p of s.participants.values()) p.online = online.has(p.id);
  s.version++;
}

/** votesLeft is the budget less the viewer's votes on what still exists. */
export function votesLeft(s) {
  const budget = (s.session.settings && s.session.settings.votesPerParticipant) || 0;
  let used = 0;
  for (const [id, n] of s.myVotes) if (s.notes.has(id) || s.groups.has(id)) used += n;
  return Math.max(0, budget - used);
}
