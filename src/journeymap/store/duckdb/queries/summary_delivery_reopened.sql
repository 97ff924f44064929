-- After a retry by hand, the failure a member and element row keeps is recomputed from the
-- attempts: the latest of its deliveries still failed (their last attempt failed them), or none.
UPDATE rs_delivery SET last_failed_at = f.at, last_error = f.error
FROM (
    WITH still AS (
        SELECT contact_id, map_id, element_id,
               arg_max(outcome, attempt) AS outcome,
               arg_max(occurred_at, attempt) AS at,
               arg_max(error, attempt) AS error
        FROM delivery_attempts
        WHERE contact_id IN (SELECT contact_id FROM _jm_mk)
        GROUP BY delivery_id, contact_id, map_id, element_id
    )
    SELECT s.mk, s.ek, max(a.at) AS at,
           arg_max(a.error, struct_pack(at := a.at, error := a.error)) AS error
    FROM _jm_settle s
    JOIN _jm_mk m ON m.mk = s.mk
    JOIN rs_key k ON k.k = s.ek
    LEFT JOIN still a
        ON a.contact_id = m.contact_id AND a.map_id = m.map_id AND a.element_id = k.name
       AND a.outcome = 'failed'
    WHERE s.reopened > 0
    GROUP BY s.mk, s.ek
) f
WHERE rs_delivery.mk = f.mk AND rs_delivery.ek = f.ek;
