// keep.js — the last board this browser showed, kept in localStorage so
// that a reload without a network (the service worker serves the page)
// opens the board with the notes waiting in the outbox instead of a
// spinner. One board is kept (the latest), and only while it is small: the
// outbox beside it must always find room.
import { getSession, loadBoard, saveBoard } from '../storage.js';
import { fromSnapshot } from '../state.js';

const MAX_CHARS = 1 << 20; // ~2 MB of UTF-16 in a ~5 MB origin quota
const EVERY_MS = 2000;

/** toSnapshot turns a state (state.js) back into the board snapshot it reads. */
export function toSnapshot(s) {
  const mark = (o) => {
    const out = { ...o };
    if (s.mine.has(o.id)) out.mine = true;
    if (s.myVotes.has(o.id)) out.myVotes = s.myVotes.get(o.id);
    if (s.myUsg.has(o.id)) out.myUsg = s.myUsg.get(o.id);
    return out;
  };
  const session = { ...s.session };
  delete session.serverTime; // an old server time would skew the clock
  return {
    seq: s.seq,
    session,
    columns: [...s.columns.values()],
    groups: [...s.groups.values()].map(mark),
    notes: [...s.notes.values()].map(mark),
    links: [...s.links.values()],
    actions: [...s.actions.values()],
    records: [...s.records.values()],
    participants: [...s.participants.values()].map((p) => ({ ...p, online: false })),
    you: { ...s.you },
    rules: s.rules,
    clockOffset: s.clockOffset || 0,
  };
}

/**
 * keeper saves the board of one session at most every two seconds (and
 * when the page goes away) and restores it for the same participant.
 */
export function keeper(sessionId, participantId) {
  let timer = 0;
  let latest = null;
  let savedState = null;
  let savedVersion = -1;

  function flush() {
    if (timer) clearTimeout(timer);
    timer = 0;
    const s = latest;
    if (!s || (s === savedState && s.version === savedVersion)) return;
    if (!getSession(sessionId)) return; // left or removed: nothing to keep
    savedState = s;
    savedVersion = s.version;
    const json = JSON.stringify({ id: sessionId, participantId, board: toSnapshot(s) });
    saveBoard(json.length <= MAX_CHARS ? json : null);
  }
  const onHide = () => flush();
  window.addEventListener('pagehide', onHide);

  return {
    /**
     * restore returns the state kept for this session and person, or null.
     * It is the state at its seq exactly, so the connection resumes from
     * there (`since`) like any reconnect: a few events, not the whole board.
     */
    restore() {
      const k = loadBoard();
      if (!k || k.id !== sessionId || k.participantId !== participantId || !k.board) return null;
      try {
        const s = fromSnapshot(k.board);
        s.clockOffset = k.board.clockOffset || 0; // the server's clock as last measured
        return s;
      } catch (_) {
        return null;
      }
    },
    later(state) {
      latest = state;
      if (!timer) timer = setTimeout(flush, EVERY_MS);
    },
    stop() {
      flush();
      window.removeEventListener('pagehide', onHide);
    },
  };
}
