-- Keys for the maps, elements and connectors a block of transitions (`_jm_block`) names first.
INSERT INTO rs_key
SELECT k, k, 'map', map_id
FROM (
    SELECT nextval('rs_key_seq')::INTEGER AS k, map_id
    FROM (
        SELECT DISTINCT b.map_id FROM _jm_block b
        WHERE NOT EXISTS (SELECT 1 FROM rs_key r WHERE r.kind = 'map' AND r.name = b.map_id)
    )
);
INSERT INTO rs_key
SELECT nextval('rs_key_seq')::INTEGER, mapk, kind, name
FROM (
    SELECT DISTINCT m.k AS mapk, x.kind, x.name
    FROM (
        SELECT map_id, 'element' AS kind, to_element AS name FROM _jm_block
        UNION ALL SELECT map_id, 'element', from_element FROM _jm_block
        UNION ALL SELECT map_id, 'connector', connector_id FROM _jm_block
    ) x
    JOIN rs_key m ON m.kind = 'map' AND m.name = x.map_id
    WHERE x.name IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM rs_key r WHERE r.mapk = m.k AND r.kind = x.kind AND r.name = x.name
      )
);
