-- Per element whose action queues deliveries (send-email, notify, webhook), over the cohort:
-- deliveries queued, delivered and failed (the rest are pending), and the latest failure of a
-- delivery still failed.
WITH s AS (
    SELECT ek, sum(queued) AS queued, sum(delivered) AS delivered, sum(failed) AS failed,
           arg_max(last_error, struct_pack(at := last_failed_at, error := last_error))
               FILTER (WHERE last_failed_at IS NOT NULL) AS last_error
    FROM rs_delivery_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                        $l1, $l2, $l3, $l4, $l5)
    GROUP BY ek
)
SELECT k.name AS element_id, s.queued, s.delivered, s.failed, s.last_error
FROM s JOIN rs_key k ON k.k = s.ek
