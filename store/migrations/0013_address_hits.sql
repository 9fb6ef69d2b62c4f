-- Per-address limits across nodes (issue 15), as in PostgreSQL's
-- 0003_address_hits.sql: one row per (kind, address), hits a JSON array of
-- the times (microseconds since 1970, the nodes' clocks) still in the
-- window, until when the newest leaves it (rows past it are pruned). Only
-- nodes sharing this file (server tests of a cluster) write here; one node
-- alone keeps its limits in memory. A new table only: no row changes.
CREATE TABLE address_hits (
    kind  TEXT    NOT NULL,
    key   TEXT    NOT NULL,
    hits  TEXT    NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX address_hits_until ON address_hits (until);
