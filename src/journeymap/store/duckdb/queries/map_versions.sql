SELECT map_id, version, name, body, created_at, archived
FROM maps
WHERE map_id = $map_id
ORDER BY version
