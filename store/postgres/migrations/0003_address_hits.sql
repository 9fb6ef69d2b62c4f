-- Per-address limits across nodes (issue 15): the failed joins, sessions
-- created and rejoin asks of one client address, whatever node it reached.
-- One row per (kind, address): hits are the times of its hits still in
-- the window (the nodes' clocks, as each node's limiter had them), taken
-- is whether the last take recorded one, and until is when the newest hit
-- leaves its window (rows past it are pruned). A take is one upsert: the
-- row lock of ON CONFLICT makes its count-and-record atomic across nodes.
CREATE TABLE address_hits (
    kind  text          NOT NULL,
    key   text          NOT NULL,
    hits  timestamptz[] NOT NULL,
    taken boolean       NOT NULL,
    until timestamptz   NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX address_hits_until ON address_hits (until);
