-- How many names of maps and elements in a block of goal achievements have no key yet.
SELECT count(*)
FROM (
    SELECT map_id, goal_id AS name FROM _jm_block
    UNION ALL SELECT map_id, from_element FROM _jm_block
) x
WHERE x.name IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM rs_key e JOIN rs_key m ON m.k = e.mapk
      WHERE m.kind = 'map' AND m.name = x.map_id AND e.kind = 'element' AND e.name = x.name
  )
