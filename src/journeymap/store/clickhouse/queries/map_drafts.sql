-- Saved drafts ({map_id}, or every map's when NULL), by map id.
SELECT map_id, body, based_on, saved_at
FROM map_drafts FINAL
WHERE body IS NOT NULL AND ({map_id:Nullable(String)} IS NULL OR map_id = {map_id:Nullable(String)})
ORDER BY map_id
