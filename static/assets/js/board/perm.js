// perm.js — shows or hides controls from the command rules the server sends
// in the snapshot (board/rules.go, the one command table); it keeps no copy
// of them. The server decides; a refused command comes back as an error
// toast. Per-object checks (a note's author) mirror the handlers.

/** allowed tells whether the viewer may send this command type now. */
export function allowed(s, type) {
  const r = (s.rules || {})[type];
  if (!r || s.session.closed) return false;
  const role = s.you.role;
  // monitoringTeam: in a monitoring session every participant may send
  // it too (action.progress), under the lock like other participant work.
  const byRole = r.roles.includes(role);
  if (!byRole && !(r.monitoringTeam && s.session.template === 'monitoring-rencana-aksi')) return false;
  const set = s.session.settings || {};
  if (set.locked && role !== 'facilitator' && !(r.lockExempt && byRole)) return false;
  return !r.phase || s.session.phase === r.phase || (!!r.facilitatorAnyPhase && role === 'facilitator');
}

/** resultsHidden mirrors the server's rule (board.ResultsHidden): while the
 * facilitator hides the results, a participant gets no totals in the
 * screen and vote phases — every total it receives reads 0, which the page
 * must not show as "0 votes". */
export function resultsHidden(s) {
  const st = s.session.settings || {};
  return !!st.hideResults && s.you.role === 'participant' && (s.session.phase === 'vote' || s.session.phase === 'screen');
}

export function perms(s) {
  const role = s.you.role;
  const fac = role === 'facilitator';
  const staff = fac || role === 'notulis';
  const closed = !!s.session.closed;
  const set = s.session.settings || {};
  const locked = !!set.locked && !fac;
  const phase = s.session.phase;
  const may = (type) => allowed(s, type);
  return {
    role, fac, staff, closed, locked, phase,
    addNote: may('note.add'),
    editNote: (n) => may('note.update') && !n.hidden && (isMine(s, n) || fac),
    moveNote: (n) => may('note.move') && !n.hidden && (isMine(s, n) || fac || phase === 'group'),
    addGroup: may('group.add'),
    editGroup: may('group.update'),
    vote: may('vote.cast') && (set.votesPerParticipant || 0) > 0,
    usg: may('usg.score'),
    link: may('link.add'),
    staffEdit: may('record.set'),
    report: may('action.progress'),
    facEdit: may('phase.set'),
  };
}

export function isMine(s, n) {
  return !!n && (n.mine || s.mine.has(n.id) || (n.authorId && n.authorId === s.you.id));
}

/** usgKind: columns whose notes and groups get U/S/G scores. */
export function usgKind(kind) {
  return kind === 'problem' || kind === 'other';
}
