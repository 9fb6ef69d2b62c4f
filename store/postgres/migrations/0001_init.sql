-- Rembuk on PostgreSQL (issue 15). The event log is the record: one row per
-- change with its ref (idempotency, unique per actor), the id it created
-- and the rows it changed (puts, JSON of store/eventlog.Put). A session's
-- row holds what a join needs without loading a room (join code, passcode
-- hash), the log's last seq, the fencing epoch of its lease, and the
-- snapshot the log replays over: the session as created (data) and the
-- rows it was created with (snapshot, puts JSON), as of snap_seq.
CREATE TABLE sessions (
    id            text        NOT NULL PRIMARY KEY,
    join_code     text        NOT NULL UNIQUE,
    passcode_hash bytea       NOT NULL,
    seq           bigint      NOT NULL DEFAULT 0,
    owner_epoch   bigint      NOT NULL DEFAULT 0,
    data          text        NOT NULL,
    snapshot      text        NOT NULL,
    snap_seq      bigint      NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL
);

CREATE TABLE events (
    session_id text        NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq        bigint      NOT NULL,
    type       text        NOT NULL,
    payload    text        NOT NULL,
    actor_id   text        NOT NULL,
    at         timestamptz NOT NULL,
    ref        text,
    created_id text,
    puts       text,
    PRIMARY KEY (session_id, seq)
);
CREATE UNIQUE INDEX events_ref ON events (session_id, actor_id, ref) WHERE ref IS NOT NULL;

-- Which node owns a session's room; until is on the database's clock.
CREATE TABLE session_leases (
    session_id text        NOT NULL PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    node       text        NOT NULL,
    epoch      bigint      NOT NULL,
    until      timestamptz NOT NULL
);
CREATE INDEX session_leases_node ON session_leases (node);

-- Photos of a meeting (the Dokumentasi appendix), re-encoded by the server.
CREATE TABLE photos (
    session_id text        NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    id         text        NOT NULL,
    caption    text        NOT NULL DEFAULT '',
    mime       text        NOT NULL,
    width      integer     NOT NULL,
    height     integer     NOT NULL,
    bytes      bytea       NOT NULL,
    thumb      bytea       NOT NULL,
    created_by text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, id)
);
CREATE INDEX photos_by_time ON photos (session_id, created_at, id);
