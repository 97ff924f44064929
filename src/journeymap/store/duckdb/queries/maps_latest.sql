SELECT map_id, version, name, body, created_at, archived
FROM maps
QUALIFY row_number() OVER (PARTITION BY map_id ORDER BY version DESC) = 1
ORDER BY map_id
