-- Fold a block of queued deliveries (`_jm_block`) into per member and element counts, and put
-- each delivery in the queue the channels' workers read (due at once, never tried). Runs after
-- summary_members.sql (`_jm_mk`).
MERGE INTO rs_delivery d
USING (
    SELECT m.mapk, k.k AS ek, m.mk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5, count(*) AS queued
    FROM _jm_block b
    JOIN _jm_mk m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
    JOIN rs_key k ON k.mapk = m.mapk AND k.kind = 'element' AND k.name = b.element_id
    GROUP BY ALL
    ORDER BY m.mapk, m.u1, m.u2, m.u3, m.u4, m.u5, m.ce, m.mk, k.k
) s
ON d.mk = s.mk AND d.ek = s.ek
   AND d.u1 = s.u1 AND d.u2 = s.u2 AND d.u3 = s.u3 AND d.u4 = s.u4 AND d.u5 = s.u5
WHEN MATCHED THEN UPDATE SET queued = d.queued + s.queued
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mapk, s.ek, s.mk, s.ce, s.u1, s.u2, s.u3, s.u4, s.u5, s.queued, 0, 0, NULL, NULL
);
INSERT INTO delivery_queue
SELECT delivery_id, channel, map_id, element_id, contact_id, created_at, NULL, 0, 0, NULL, NULL,
       NULL
FROM _jm_block
ORDER BY delivery_id;
