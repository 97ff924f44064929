-- Entries per map of the contacts a history import wrote, to read back into the state file.
SELECT contact_id, map_id, count(*) AS entries
FROM entries
WHERE contact_id IN (SELECT contact_id FROM engine_stale)
GROUP BY ALL
