-- The event log becomes the only write on a change's path (issue 12):
-- each event carries the command's ref (idempotency, unique per
-- participant), the id it created, and the rows it changed (puts, JSON).
-- A room numbers its changes from the log's last seq. The entity tables
-- (sessions.data, participants, entities) become a snapshot of the log up
-- to sessions.seq, which now counts what the snapshot holds; the writer
-- catches it up off the ack path, and a load reads the snapshot and replays
-- the puts of the events after it. Before this migration every change
-- wrote its rows at once, so every snapshot is complete.
ALTER TABLE events ADD COLUMN participant_id TEXT;
ALTER TABLE events ADD COLUMN ref TEXT;
ALTER TABLE events ADD COLUMN created_id TEXT;
ALTER TABLE events ADD COLUMN puts TEXT;

UPDATE events SET participant_id = r.participant_id, ref = r.ref, created_id = r.created_id
  FROM command_refs AS r
  WHERE r.session_id = events.session_id AND r.seq = events.seq;

CREATE UNIQUE INDEX events_ref ON events (session_id, participant_id, ref) WHERE ref IS NOT NULL;

DROP TABLE command_refs;
