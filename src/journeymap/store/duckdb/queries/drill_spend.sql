-- Drill-down of amount spent on $element_id: every visitor in the cohort (the average divides
-- by all of them), with its net spend (report_spend.sql) or, when $after_arrival, its purchases
-- at or after its first arrival (report_spend_after_arrival.sql). at: first arrival.
WITH c AS (
    SELECT mk, contact_id, net_spend FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
visitor AS (
    SELECT v.mk, c.contact_id, c.net_spend, v.first_at
    FROM rs_visit v JOIN c USING (mk)
    WHERE v.ek = rs_key_of($map_id, 'element', $element_id) AND v.first_seq IS NOT NULL
),
after AS (
    SELECT s.mk, sum(p.amount) AS amount
    FROM visitor s JOIN purchases p ON p.contact_id = s.contact_id AND p.occurred_at >= s.first_at
    WHERE $after_arrival
    GROUP BY s.mk
),
hit AS (
    SELECT s.mk, s.first_at AS at,
           CASE WHEN $after_arrival THEN coalesce(a.amount, 0) ELSE s.net_spend END
               ::DECIMAL(18, 2) AS value
    FROM visitor s LEFT JOIN after a USING (mk)
)
SELECT m.contact_id, k.created_at,
       m.first_utm_source, m.first_utm_medium, m.first_utm_campaign, m.first_utm_content,
       m.first_utm_term,
       h.at, h.value, count(*) OVER () AS total
FROM hit h
JOIN rs_member m USING (mk)
LEFT JOIN contacts k ON k.contact_id = m.contact_id
ORDER BY h.at NULLS LAST, m.contact_id
LIMIT $limit OFFSET $offset
