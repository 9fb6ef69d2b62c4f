// perm.js — mirrors the server's rules (board/rules.go) only to show or
// hide controls. The server decides; a refused command comes back as an
// error toast.

export function perms(s) {
  const role = s.you.role;
  const fac = role === 'facilitator';
  const staff = fac || role === 'notulis';
  const closed = !!s.session.closed;
  const set = s.session.settings || {};
  const locked = !!set.locked && !fac;
  const phase = s.session.phase;
  const open = !closed && !locked;
  return {
    role, fac, staff, closed, locked, phase,
    addNote: open,
    editNote: (n) => open && !n.hidden && (isMine(s, n) || fac),
    moveNote: (n) => open && !n.hidden && (isMine(s, n) || fac || phase === 'group'),
    addGroup: open && (phase === 'group' || fac),
    editGroup: !closed && fac,
    vote: open && phase === 'vote' && (set.votesPerParticipant || 0) > 0,
    usg: open && phase === 'vote',
    link: open,
    staffEdit: !closed && staff,
    facEdit: !closed && fac,
  };
}

export function isMine(s, n) {
  return !!n && (n.mine || s.mine.has(n.id) || (n.authorId && n.authorId === s.you.id));
}

/** usgKind: columns whose notes and groups get U/S/G scores. */
export function usgKind(kind) {
  return kind === 'problem' || kind === 'other';
}
