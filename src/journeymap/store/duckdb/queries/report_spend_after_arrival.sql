-- Per element, over the cohort: purchases (refunds netted) made at or after each visitor's
-- first arrival at the element.
WITH c AS (
    SELECT mk, contact_id FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
buys AS (
    SELECT c.mk, p.occurred_at, p.amount
    FROM purchases p JOIN c ON p.contact_id = c.contact_id
)
SELECT v.element_id, sum(b.amount) AS amount_spent
FROM rs_visit v
JOIN buys b USING (mk)
WHERE v.map_id = $map_id AND v.first_seq IS NOT NULL AND b.occurred_at >= v.first_at
GROUP BY v.element_id
