-- Drill-down of time to goal at $element_id, per contact, with the steps of
-- report_time_to_goal.sql: $mode 'followed' lists every contact who visited the element,
-- 'converted' those who achieved $goal after their first arrival there, 'censored' the others
-- (still on the way). at: first arrival at the element; value: seconds followed (to the
-- achievement, the last exit from the map, or $now).
WITH c AS (
    SELECT mk, contact_id FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
g AS (
    SELECT g.mk, g.first_seq, g.first_at, g.last_seq
    FROM rs_goal g JOIN c USING (mk)
    WHERE g.gk = rs_key_of($map_id, 'element', $goal)
),
v AS (
    SELECT v.mk, v.first_seq, v.first_at
    FROM rs_visit v JOIN c USING (mk)
    WHERE v.ek = rs_key_of($map_id, 'element', $element_id) AND v.first_seq IS NOT NULL
),
later AS (
    SELECT v.mk, v.first_seq AS arrived_seq,
           CASE WHEN g.first_seq > v.first_seq THEN g.first_at END AS achieved_at
    FROM v JOIN g USING (mk)
    WHERE g.last_seq > v.first_seq
),
resolved AS (
    SELECT mk, achieved_at FROM later WHERE achieved_at IS NOT NULL
    UNION ALL
    SELECT l.mk, arg_min(a.occurred_at, a.seq) AS achieved_at
    FROM later l
    JOIN c USING (mk)
    JOIN achievements a
      ON a.contact_id = c.contact_id AND a.map_id = $map_id AND a.goal_id = $goal
     AND a.seq > l.arrived_seq
    WHERE l.achieved_at IS NULL
    GROUP BY l.mk
),
off_map AS (
    SELECT r.mk FROM rs_visit r JOIN v USING (mk) GROUP BY r.mk HAVING max(r.live) = 0
),
exits AS (
    SELECT o.mk, max(t.occurred_at) AS exit_at
    FROM off_map o
    JOIN c USING (mk)
    JOIN transitions t
      ON t.contact_id = c.contact_id AND t.map_id = $map_id AND t.kind = 'exit'
    GROUP BY o.mk
),
hit AS (
    SELECT v.mk, v.first_at AS at,
           greatest(epoch_us(coalesce(r.achieved_at, x.exit_at, $now::TIMESTAMPTZ))
                    - epoch_us(v.first_at), 0) / 1e6 AS value
    FROM v
    LEFT JOIN resolved r USING (mk)
    LEFT JOIN exits x USING (mk)
    WHERE CASE $mode
              WHEN 'converted' THEN r.mk IS NOT NULL
              WHEN 'censored' THEN r.mk IS NULL
              ELSE true
          END
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
