-- Saved drafts ($map_id, or every map's when NULL), by map id.
SELECT map_id, body, based_on, saved_at
FROM map_drafts
WHERE body IS NOT NULL AND ($map_id IS NULL OR map_id = $map_id)
ORDER BY map_id
