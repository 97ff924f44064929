-- Every goal achievement in seq order (optionally one map).
SELECT seq, contact_id, map_id, goal_id, entry_id, from_element, occurred_at
FROM achievements
WHERE ({map_id:Nullable(String)} IS NULL OR map_id = {map_id:Nullable(String)})
ORDER BY seq
