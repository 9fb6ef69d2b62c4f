-- Links gained a kind (cause, answers, effect; issue 13). Every link stored
-- before was an innovation answering a problem or cause: it becomes
-- "answers", in its row and in the logged copies of link.added (so a resume
-- replay carries the kind too). Links are JSON in entities.data and in the
-- events' payloads, so no column is added. board.State.Load reads a link
-- without a kind as answers as well, for a database restored from a backup
-- taken by an older binary before this migration ran on it.
UPDATE entities SET data = json_set(data, '$.kind', 'answers')
WHERE kind = 'link' AND json_extract(data, '$.kind') IS NULL;

UPDATE events SET payload = json_set(payload, '$.link.kind', 'answers')
WHERE type = 'link.added' AND json_extract(payload, '$.link.kind') IS NULL;
