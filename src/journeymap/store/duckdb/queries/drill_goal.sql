-- Drill-down of goal achievers over the cohort, from the rs_goal rows report_goals.sql and
-- report_conversion_point.sql count: $mode 'achieved' (every achiever of $goal, or of any goal
-- when $goal is NULL), 'point' (first achievement while on $element_id) or 'entered' (entered
-- the map at the goal). at: first achievement; value: achievements.
WITH c AS (
    SELECT mk FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
hit AS (
    SELECT g.mk, min(g.first_at) AS at, sum(g.achievements) AS value
    FROM rs_goal g JOIN c USING (mk)
    WHERE g.mapk = rs_key_of($map_id, 'map', $map_id)
      AND ($goal::VARCHAR IS NULL OR g.gk = rs_key_of($map_id, 'element', $goal::VARCHAR))
      AND CASE $mode
              WHEN 'point' THEN g.first_from = rs_key_of($map_id, 'element', $element_id::VARCHAR)
              WHEN 'entered' THEN g.first_from IS NULL
              ELSE true
          END
    GROUP BY g.mk
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
