-- Fold a block of delivery attempts (`_jm_block`) into per member and element counts: an attempt
-- that settles its delivery adds to delivered or failed; a retry by hand (status 'reopened')
-- takes one off failed. The failure kept on a row is the latest of a delivery still failed: one
-- whose last attempt in the block failed it. Runs after summary_members.sql (`_jm_mk`); leaves
-- the rows in `_jm_settle` for summary_delivery_reopened.sql.
CREATE OR REPLACE TEMP TABLE _jm_settle AS
WITH latest AS (
    SELECT delivery_id, max(attempt) AS attempt FROM _jm_block GROUP BY delivery_id
)
SELECT m.mapk, k.k AS ek, m.mk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5,
       count(*) FILTER (WHERE b.outcome = 'delivered') AS delivered,
       count(*) FILTER (WHERE b.outcome = 'failed')
           - count(*) FILTER (WHERE b.status = 'reopened') AS failed,
       count(*) FILTER (WHERE b.status = 'reopened') AS reopened,
       max(b.occurred_at) FILTER (WHERE b.outcome = 'failed' AND l.attempt IS NOT NULL)
           AS last_failed_at,
       arg_max(b.error, struct_pack(at := b.occurred_at, error := b.error))
           FILTER (WHERE b.outcome = 'failed' AND l.attempt IS NOT NULL) AS last_error
FROM _jm_block b
JOIN _jm_mk m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
JOIN rs_key k ON k.mapk = m.mapk AND k.kind = 'element' AND k.name = b.element_id
LEFT JOIN latest l ON l.delivery_id = b.delivery_id AND l.attempt = b.attempt
GROUP BY ALL;
MERGE INTO rs_delivery d
USING (
    SELECT * FROM _jm_settle
    WHERE delivered <> 0 OR failed <> 0 OR reopened <> 0 OR last_failed_at IS NOT NULL
    ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ek
) s
ON d.mk = s.mk AND d.ek = s.ek
   AND d.u1 = s.u1 AND d.u2 = s.u2 AND d.u3 = s.u3 AND d.u4 = s.u4 AND d.u5 = s.u5
WHEN MATCHED THEN UPDATE SET
    delivered = d.delivered + s.delivered,
    failed = d.failed + s.failed,
    last_error = CASE
        WHEN s.last_failed_at IS NOT NULL AND (d.last_failed_at IS NULL
             OR struct_pack(at := s.last_failed_at, error := s.last_error)
                > struct_pack(at := d.last_failed_at, error := d.last_error))
        THEN s.last_error ELSE d.last_error END,
    last_failed_at = CASE
        WHEN s.last_failed_at IS NOT NULL AND (d.last_failed_at IS NULL
             OR struct_pack(at := s.last_failed_at, error := s.last_error)
                > struct_pack(at := d.last_failed_at, error := d.last_error))
        THEN s.last_failed_at ELSE d.last_failed_at END
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mapk, s.ek, s.mk, s.ce, s.u1, s.u2, s.u3, s.u4, s.u5, 0, s.delivered, s.failed,
    s.last_failed_at, s.last_error
);
