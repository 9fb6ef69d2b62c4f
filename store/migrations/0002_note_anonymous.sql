-- Notes remember whether they were written while the session was anonymous
-- (board.Note.Anonymous, "anonymous": true in the note's JSON): such a note's
-- author stays withheld after anonymity is turned off (issue 9). Notes are
-- JSON in entities.data and in the events' payloads, so no column is added.
--
-- Notes stored before this migration carry no stamp. The rule for them: in a
-- session that is anonymous now, every note counts as written anonymously
-- (the safe side: a note written before anonymity was turned on then stays
-- unattributed too); in a session that is not anonymous now, no note does —
-- its authors are on everyone's board already. The stamp is also written
-- into the logged copies (note.added/updated/moved, note.deleted), so a
-- resume replay of a deleted note's events follows the same rule.
UPDATE entities SET data = json_set(data, '$.anonymous', json('true'))
WHERE kind = 'note'
  AND session_id IN (SELECT id FROM sessions WHERE json_extract(data, '$.settings.anonymous') = 1);

UPDATE events SET payload = json_set(payload, '$.note.anonymous', json('true'))
WHERE type IN ('note.added', 'note.updated', 'note.moved')
  AND session_id IN (SELECT id FROM sessions WHERE json_extract(data, '$.settings.anonymous') = 1);

UPDATE events SET payload = json_set(payload, '$.anonymous', json('true'))
WHERE type = 'note.deleted'
  AND session_id IN (SELECT id FROM sessions WHERE json_extract(data, '$.settings.anonymous') = 1);
