-- Drill-down of a split test, over the cohort, with the steps of report_split_test.sql: $mode
-- 'sent' lists the contacts sent down $connector_id and no other branch of $split_id ($branches:
-- every connector leaving it), 'achievers' those of them who achieved $goal after their first
-- arrival at the split, 'crossed' the contacts sent down several branches, 'tested' everyone
-- sent down exactly one. at: first arrival at the split (the move down a branch follows at
-- once); value: for achievers the seconds from that arrival to their first achievement after
-- it, for crossed contacts the number of branches they took.
WITH c AS (
    SELECT mk, contact_id FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
b AS (
    SELECT k.k AS ck, k.name AS connector_id
    FROM rs_key k
    WHERE k.mapk = rs_key_of($map_id, 'map', $map_id) AND k.kind = 'connector'
      AND k.name IN (SELECT unnest($branches::VARCHAR[]))
),
sent AS (
    SELECT l.mk, any_value(b.connector_id) AS connector_id, count(*) AS branches
    FROM rs_link l JOIN c USING (mk) JOIN b USING (ck)
    GROUP BY l.mk
),
passed AS (
    SELECT s.mk, c.contact_id, s.connector_id, s.branches, v.first_seq, v.first_at
    FROM sent s
    JOIN c USING (mk)
    JOIN rs_visit v ON v.mk = s.mk AND v.ek = rs_key_of($map_id, 'element', $split_id)
),
achieved AS (
    SELECT p.mk, arg_min(a.occurred_at, a.seq) AS achieved_at
    FROM passed p
    JOIN achievements a
      ON a.contact_id = p.contact_id AND a.map_id = $map_id AND a.goal_id = $goal
     AND a.seq > p.first_seq
    WHERE $mode = 'achievers' AND p.branches = 1 AND p.connector_id = $connector_id
    GROUP BY p.mk
),
hit AS (
    SELECT p.mk, p.first_at AS at,
           CASE $mode
               WHEN 'achievers'
                   THEN date_diff('microsecond', p.first_at, x.achieved_at) / 1e6
               WHEN 'crossed' THEN p.branches
           END AS value
    FROM passed p
    LEFT JOIN achieved x USING (mk)
    WHERE CASE $mode
              WHEN 'sent' THEN p.branches = 1 AND p.connector_id = $connector_id
              WHEN 'achievers' THEN x.mk IS NOT NULL
              WHEN 'crossed' THEN p.branches > 1
              ELSE p.branches = 1
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
