-- Programmes (program ZI, issue 14): a unit's year of work towards WBK or
-- WBBM, holding sessions. The header is JSON of board.Programme; the key
-- that manages it is kept only as its SHA-256 hash. programme_sessions
-- links each session to at most one programme (position: 1, 2, … in the
-- order they were added); deleting either removes the link. Only new
-- tables: existing sessions and their rows are untouched.
CREATE TABLE programmes (
    id         TEXT NOT NULL PRIMARY KEY,
    key_hash   BLOB NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE programme_sessions (
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    session_id   TEXT NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (programme_id, session_id)
) WITHOUT ROWID;
