-- Keys for the maps and elements a block (`_jm_block`: email events, deliveries) names first.
INSERT INTO rs_key
SELECT k, k, 'map', map_id
FROM (
    SELECT nextval('rs_key_seq')::INTEGER AS k, map_id
    FROM (
        SELECT DISTINCT b.map_id FROM _jm_block b
        WHERE b.map_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM rs_key r WHERE r.kind = 'map' AND r.name = b.map_id)
    )
);
INSERT INTO rs_key
SELECT nextval('rs_key_seq')::INTEGER, mapk, 'element', name
FROM (
    SELECT DISTINCT m.k AS mapk, b.element_id AS name
    FROM _jm_block b
    JOIN rs_key m ON m.kind = 'map' AND m.name = b.map_id
    WHERE b.element_id IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM rs_key r
          WHERE r.mapk = m.k AND r.kind = 'element' AND r.name = b.element_id
      )
);
