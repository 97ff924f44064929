-- Every key of every line of a JSON Lines file (a line that is no object has none).
SELECT DISTINCT unnest(json_keys(json)) AS k
FROM read_ndjson_objects($path)
WHERE json_type(json) = 'OBJECT'
