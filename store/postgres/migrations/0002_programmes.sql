-- Programmes (program ZI): a unit's year of work towards WBK or WBBM,
-- holding sessions; the header is JSON of board.Programme, the key that
-- manages it only as its hash. programme_sessions links each session to at
-- most one programme, in the order they were added.
CREATE TABLE programmes (
    id         text        NOT NULL PRIMARY KEY,
    key_hash   bytea       NOT NULL,
    data       text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE programme_sessions (
    programme_id text        NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    session_id   text        NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
    position     integer     NOT NULL,
    added_at     timestamptz NOT NULL,
    PRIMARY KEY (programme_id, session_id)
);
