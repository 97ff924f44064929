-- Map errors counted per map, element and code, with the latest time each happened.
SELECT map_id, element_id, code, count() AS errors, max(occurred_at) AS latest
FROM map_errors
WHERE {map_id:Nullable(String)} IS NULL OR map_id = {map_id:Nullable(String)}
GROUP BY map_id, element_id, code
ORDER BY map_id, element_id NULLS FIRST, code
