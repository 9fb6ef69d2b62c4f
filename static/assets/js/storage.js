// storage.js — what the page keeps in localStorage: the token of every
// session this browser is in (a reload keeps identity), the join code →
// session map, the offline outbox per session, and the last name typed.
const P = 'rembuk:';

function read(key, fallback) {
  try {
    const v = localStorage.getItem(P + key);
    return v == null ? fallback : JSON.parse(v);
  } catch (_) {
    return fallback;
  }
}

function write(key, value) {
  try {
    if (value == null) localStorage.removeItem(P + key);
    else localStorage.setItem(P + key, JSON.stringify(value));
  } catch (_) { /* quota or disabled: the page still works for this tab */ }
}

/** saveSession remembers {token, participantId, joinCode, title, name}. */
export function saveSession(id, info) {
  const prev = read('session:' + id, {});
  write('session:' + id, { ...prev, ...info, savedAt: Date.now() });
  if (info.joinCode) write('code:' + String(info.joinCode).toUpperCase(), id);
}

export function getSession(id) {
  return read('session:' + id, null);
}

export function forgetSession(id) {
  const s = getSession(id);
  write('session:' + id, null);
  write('outbox:' + id, null);
  const kept = read('board', null);
  if (kept && kept.id === id) write('board', null);
  if (s && s.joinCode) write('code:' + String(s.joinCode).toUpperCase(), null);
}

export function sessionForCode(code) {
  return read('code:' + String(code).toUpperCase(), null);
}

/** recentSessions lists the sessions this browser holds a token for, newest first. */
export function recentSessions() {
  return recent('session:', 'token');
}

/** recent lists what is kept under prefix and holds its secret (field), newest first. */
function recent(prefix, field) {
  const out = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k && k.startsWith(P + prefix)) {
        const id = k.slice((P + prefix).length);
        const s = read(prefix + id, null);
        if (s && s[field]) out.push({ id, ...s });
      }
    }
  } catch (_) { /* ignore */ }
  return out.sort((a, b) => (b.savedAt || 0) - (a.savedAt || 0));
}

export function loadOutbox(id) {
  const v = read('outbox:' + id, []);
  return Array.isArray(v) ? v : [];
}

export function saveOutbox(id, list) {
  write('outbox:' + id, list.length ? list : null);
}

/** loadBoard returns the one kept board ({id, participantId, board}) or null (board/keep.js). */
export function loadBoard() {
  return read('board', null);
}

/** saveBoard keeps json (already encoded) as the board, or drops it when null or when it does not fit. */
export function saveBoard(json) {
  try {
    if (json == null) localStorage.removeItem(P + 'board');
    else localStorage.setItem(P + 'board', json);
  } catch (_) {
    try { localStorage.removeItem(P + 'board'); } catch (_) { /* ignore */ }
  }
}

export function getMe() {
  return read('me', { name: '', unit: '' });
}

export function saveMe(me) {
  write('me', { ...getMe(), ...me });
}

export function getPref(k, fallback) {
  return read('pref:' + k, fallback);
}

export function setPref(k, v) {
  write('pref:' + k, v);
}

/** saveProgramme remembers a programme's key and header on this browser. */
export function saveProgramme(id, info) {
  const prev = read('programme:' + id, {});
  write('programme:' + id, { ...prev, ...info, savedAt: Date.now() });
}

export function getProgrammeInfo(id) {
  return read('programme:' + id, null);
}

/** recentProgrammes lists the programmes this browser holds a key for, newest first. */
export function recentProgrammes() {
  return recent('programme:', 'key');
}
