SELECT map_id, version, name, body, created_at, archived
FROM maps FINAL
ORDER BY map_id, version DESC
LIMIT 1 BY map_id
