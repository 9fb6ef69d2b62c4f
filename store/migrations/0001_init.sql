-- Sessions: the header and live switches as JSON (board.Session), the
-- per-session event counter, and what a join needs without loading a room.
CREATE TABLE sessions (
    id            TEXT    NOT NULL PRIMARY KEY,
    join_code     TEXT    NOT NULL UNIQUE,
    passcode_hash BLOB    NOT NULL,
    seq           INTEGER NOT NULL,
    data          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);

-- Participants, one row per join (the attendance list). Tokens only as hashes.
CREATE TABLE participants (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    token_hash BLOB NOT NULL,
    data       TEXT NOT NULL,
    joined_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, id)
) WITHOUT ROWID;

-- The board's current objects (columns, groups, notes, links, actions,
-- records, votes, scores) as JSON of their board type.
CREATE TABLE entities (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, id)
) WITHOUT ROWID;

-- The append-only event log: resume and audit trail.
CREATE TABLE events (
    session_id TEXT    NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    actor_id   TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

-- Idempotency: the first outcome of each (participant, ref).
CREATE TABLE command_refs (
    session_id     TEXT    NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    participant_id TEXT    NOT NULL,
    ref            TEXT    NOT NULL,
    seq            INTEGER NOT NULL,
    created_id     TEXT    NOT NULL,
    PRIMARY KEY (session_id, participant_id, ref)
) WITHOUT ROWID;
