-- Leases (issue 15): which node owns a session's room when several nodes
-- share one database. A node takes the lease with one statement on the
-- database's clock (until < now or node = me; epoch + 1) and writes the new
-- epoch into sessions.owner_epoch; a Submit made with an older epoch finds
-- the column changed and stores nothing (the fence). until is milliseconds
-- since 1970 on the database's clock. One node on its own file never takes
-- a lease: owner_epoch stays 0 and Submit with epoch 0 is not fenced. Only
-- a table and a column with a default are added; no row changes.
CREATE TABLE session_leases (
    session_id TEXT    NOT NULL PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    node       TEXT    NOT NULL,
    epoch      INTEGER NOT NULL,
    until      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_leases_node ON session_leases (node);

ALTER TABLE sessions ADD COLUMN owner_epoch INTEGER NOT NULL DEFAULT 0;
