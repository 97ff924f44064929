-- For the selected goal, per element E, over the cohort: contacts who visited E and later
-- achieved the goal, and the seconds from their first arrival at E to their first achievement
-- after it. "Later" is by sequence; when a contact's first achievement came before it reached E,
-- its next achievement is looked up in the facts (only contacts who achieved the goal again).
WITH c AS (
    SELECT mk, contact_id FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
g AS (
    SELECT g.mk, g.first_seq, g.first_at, g.last_seq
    FROM rs_goal g JOIN c USING (mk)
    WHERE g.map_id = $map_id AND g.goal_id = $goal
),
later AS (
    SELECT v.element_id, v.mk, v.first_seq AS arrived_seq, v.first_at AS arrived_at,
           CASE WHEN g.first_seq > v.first_seq THEN g.first_at END AS achieved_at
    FROM rs_visit v JOIN g USING (mk)
    WHERE v.map_id = $map_id AND v.first_seq IS NOT NULL AND g.last_seq > v.first_seq
),
resolved AS (
    SELECT element_id, arrived_at, achieved_at FROM later WHERE achieved_at IS NOT NULL
    UNION ALL
    SELECT l.element_id, l.arrived_at, arg_min(a.occurred_at, a.seq) AS achieved_at
    FROM later l
    JOIN c USING (mk)
    JOIN achievements a
      ON a.contact_id = c.contact_id AND a.map_id = $map_id AND a.goal_id = $goal
     AND a.seq > l.arrived_seq
    WHERE l.achieved_at IS NULL
    GROUP BY l.element_id, l.mk, l.arrived_at
),
secs AS (
    SELECT element_id, date_diff('microsecond', arrived_at, achieved_at) / 1e6 AS s
    FROM resolved
)
SELECT element_id, count(*) AS n, avg(s) AS mean_s,
       quantile_cont(s, 0.5) AS median_s, quantile_cont(s, 0.9) AS p90_s
FROM secs
GROUP BY element_id
