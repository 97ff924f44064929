-- Recorded map errors, newest first; $map_id narrows to one map when given.
SELECT map_id, element_id, contact_id, event, code, reason, occurred_at
FROM map_errors
WHERE $map_id IS NULL OR map_id = $map_id
ORDER BY occurred_at DESC, rowid DESC
LIMIT $limit
