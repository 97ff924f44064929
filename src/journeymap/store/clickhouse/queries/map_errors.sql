-- Recorded map errors, newest first; {map_id} narrows to one map when given.
SELECT map_id, element_id, contact_id, event, code, reason, occurred_at
FROM map_errors
WHERE {map_id:Nullable(String)} IS NULL OR map_id = {map_id:Nullable(String)}
ORDER BY occurred_at DESC, _block_number DESC, _block_offset DESC
LIMIT {limit:Int64}
