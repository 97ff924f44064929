-- Drill-down of "visited $element_id and later achieved $goal" (to_goal, conversion time n),
-- per contact, with the same steps as report_goal_paths.sql. at: the achievement counted;
-- value: seconds from first arrival at the element to it.
WITH c AS (
    SELECT mk, contact_id FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
g AS (
    SELECT g.mk, g.first_seq, g.first_at, g.last_seq
    FROM rs_goal g JOIN c USING (mk)
    WHERE g.gk = rs_key_of($map_id, 'element', $goal)
),
later AS (
    SELECT v.mk, v.first_seq AS arrived_seq, v.first_at AS arrived_at,
           CASE WHEN g.first_seq > v.first_seq THEN g.first_at END AS achieved_at
    FROM rs_visit v JOIN g USING (mk)
    WHERE v.ek = rs_key_of($map_id, 'element', $element_id) AND v.first_seq IS NOT NULL
      AND g.last_seq > v.first_seq
),
resolved AS (
    SELECT mk, arrived_at, achieved_at FROM later WHERE achieved_at IS NOT NULL
    UNION ALL
    SELECT l.mk, l.arrived_at, arg_min(a.occurred_at, a.seq) AS achieved_at
    FROM later l
    JOIN c USING (mk)
    JOIN achievements a
      ON a.contact_id = c.contact_id AND a.map_id = $map_id AND a.goal_id = $goal
     AND a.seq > l.arrived_seq
    WHERE l.achieved_at IS NULL
    GROUP BY l.mk, l.arrived_at
),
hit AS (
    SELECT mk, achieved_at AS at,
           date_diff('microsecond', arrived_at, achieved_at) / 1e6 AS value
    FROM resolved
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
