-- Every move in seq order, for checking the engine's moves (optionally one map, one contact).
SELECT seq, contact_id, map_id, entry_id, from_element, to_element, connector_id, kind, occurred_at
FROM transitions
WHERE ($map_id IS NULL OR map_id = $map_id)
  AND ($contact_id IS NULL OR contact_id = $contact_id)
ORDER BY seq
