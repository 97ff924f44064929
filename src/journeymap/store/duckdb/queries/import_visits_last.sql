-- Where the staged contacts stand on each map in the store: the element of their last recorded
-- move (NULL after an exit), its entry, and the time of their last move.
CREATE OR REPLACE TEMP TABLE import_last AS
SELECT contact_id, map_id, arg_max_null(to_element, seq) AS element_id,
       arg_max(entry_id, seq) AS entry_id, max(occurred_at) AS last_at
FROM transitions
WHERE contact_id IN (SELECT contact_id FROM import_typed)
GROUP BY ALL
