-- Per element, over the cohort: net spend (all purchases, all time, refunds netted) of the
-- distinct contacts who visited it (members who spent nothing add nothing and are left out).
WITH s AS (
    SELECT v.ek, sum(m.net_spend) AS amount_spent
    FROM rs_visit_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5) v
    JOIN rs_member m ON m.mk = v.mk AND m.mapk = $mapk AND m.net_spend <> 0
    WHERE v.first_seq IS NOT NULL
    GROUP BY v.ek
)
SELECT k.name AS element_id, s.amount_spent
FROM s JOIN rs_key k ON k.k = s.ek
