-- Per element, over the cohort: purchases (refunds netted) made at or after each visitor's
-- first arrival at the element.
WITH buys AS (
    SELECT c.mk, p.occurred_at, p.amount
    FROM rs_member_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                      $l1, $l2, $l3, $l4, $l5) c
    JOIN purchases p ON p.contact_id = c.contact_id
),
s AS (
    SELECT v.ek, sum(b.amount) AS amount_spent
    FROM rs_visit v
    JOIN buys b USING (mk)
    WHERE v.mapk = $mapk AND v.first_seq IS NOT NULL AND b.occurred_at >= v.first_at
    GROUP BY v.ek
)
SELECT k.name AS element_id, s.amount_spent
FROM s JOIN rs_key k ON k.k = s.ek
