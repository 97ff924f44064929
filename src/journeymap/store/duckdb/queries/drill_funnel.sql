-- Drill-down of funnel step $k on element $element_id (rs_funnel_of, as report_funnel.sql counts
-- it): not $direct, the members whose match for step $k was there; $direct, those who took step
-- $k directly there. at: when they took it (the fact with that sequence number); value: none.
WITH f AS (
    SELECT mk, seq
    FROM rs_funnel_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                      $l1, $l2, $l3, $l4, $l5,
                      $step_names::VARCHAR[], $step_numbers::INTEGER[], $goal_steps::VARCHAR[])
    WHERE k = $k AND element_id = $element_id
      AND took = CASE WHEN $direct THEN 'direct' ELSE 'reached' END
),
hit AS (
    SELECT f.mk, coalesce(t.occurred_at, a.occurred_at) AS at, NULL::BIGINT AS value
    FROM f
    LEFT JOIN transitions t ON t.seq = f.seq
    LEFT JOIN achievements a ON a.seq = f.seq
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
