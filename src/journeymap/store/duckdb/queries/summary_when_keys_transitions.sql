-- How many names of maps, elements and connectors in a block of transitions have no key yet.
SELECT count(*)
FROM (
    SELECT map_id, 'element' AS kind, to_element AS name FROM _jm_block
    UNION ALL SELECT map_id, 'element', from_element FROM _jm_block
    UNION ALL SELECT map_id, 'connector', connector_id FROM _jm_block
) x
WHERE x.name IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM rs_key e JOIN rs_key m ON m.k = e.mapk
      WHERE m.kind = 'map' AND m.name = x.map_id AND e.kind = x.kind AND e.name = x.name
  )
