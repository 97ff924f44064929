-- Fold the connector moves of a block of transitions (`_jm_block`) into moves per member and
-- connector, each row carrying its member's cohort attributes.
MERGE INTO rs_link l
USING (
    SELECT m.mapk, k.k AS ck, m.mk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5, count(*) AS moves
    FROM _jm_block b
    JOIN _jm_mk m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
    JOIN rs_key k ON k.mapk = m.mapk AND k.kind = 'connector' AND k.name = b.connector_id
    WHERE b.connector_id IS NOT NULL
    GROUP BY ALL
    ORDER BY m.mapk, m.u1, m.u2, m.u3, m.u4, m.u5, m.ce, m.mk, k.k
) s
ON l.mk = s.mk AND l.ck = s.ck
   AND l.u1 = s.u1 AND l.u2 = s.u2 AND l.u3 = s.u3 AND l.u4 = s.u4 AND l.u5 = s.u5
WHEN MATCHED THEN UPDATE SET moves = l.moves + s.moves
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mapk, s.ck, s.mk, s.ce, s.u1, s.u2, s.u3, s.u4, s.u5, s.moves
);
