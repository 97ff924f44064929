SELECT map_id, version, name, body, created_at, archived
FROM maps FINAL
WHERE map_id = {map_id:String}
ORDER BY version
