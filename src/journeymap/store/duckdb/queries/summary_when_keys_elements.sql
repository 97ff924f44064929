-- How many names of maps and elements in a block (email events, deliveries) have no key yet.
SELECT count(*)
FROM _jm_block x
WHERE x.map_id IS NOT NULL AND x.element_id IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM rs_key e JOIN rs_key m ON m.k = e.mapk
      WHERE m.kind = 'map' AND m.name = x.map_id AND e.kind = 'element' AND e.name = x.element_id
  )
