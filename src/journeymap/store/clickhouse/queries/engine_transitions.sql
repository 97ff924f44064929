-- Every move in seq order, for checking the engine's moves (optionally one map, one contact).
SELECT seq, contact_id, map_id, entry_id, from_element, to_element, connector_id, kind, occurred_at
FROM transitions
WHERE ({map_id:Nullable(String)} IS NULL OR map_id = {map_id:Nullable(String)})
  AND ({contact_id:Nullable(String)} IS NULL OR contact_id = {contact_id:Nullable(String)})
ORDER BY seq
