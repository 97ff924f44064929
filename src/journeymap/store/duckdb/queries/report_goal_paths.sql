-- For the selected goal, per element E, over the cohort: contacts who visited E and later
-- achieved the goal, and the seconds from their first arrival at E to their first achievement
-- after it. "Later" is by sequence; when a contact's first achievement came before it reached E,
-- its next achievement is looked up in the facts (only contacts who achieved the goal again).
-- Times stay whole microseconds: their total, and the median and 90th percentile times ten
-- (rs_quantile_x10), so the report divides once and gets the same bits in any row order.
WITH g AS (
    SELECT mk, first_seq, first_at, last_seq
    FROM rs_goal_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5)
    WHERE gk = (SELECT k FROM rs_key WHERE mapk = $mapk AND kind = 'element' AND name = $goal)
),
later AS (
    SELECT v.ek, v.mk, v.first_seq AS arrived_seq, v.first_at AS arrived_at,
           CASE WHEN g.first_seq > v.first_seq THEN g.first_at END AS achieved_at
    FROM rs_visit_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5) v
    JOIN g USING (mk)
    WHERE v.first_seq IS NOT NULL AND g.last_seq > v.first_seq
),
resolved AS (
    SELECT ek, arrived_at, achieved_at FROM later WHERE achieved_at IS NOT NULL
    UNION ALL
    SELECT l.ek, l.arrived_at, arg_min(a.occurred_at, a.seq) AS achieved_at
    FROM later l
    JOIN rs_member m USING (mk)
    JOIN achievements a
      ON a.contact_id = m.contact_id AND a.map_id = m.map_id AND a.goal_id = $goal
     AND a.seq > l.arrived_seq
    WHERE l.achieved_at IS NULL
    GROUP BY l.ek, l.mk, l.arrived_at
),
spans AS (
    SELECT ek, epoch_us(achieved_at) - epoch_us(arrived_at) AS us FROM resolved
),
s AS (
    SELECT ek, count(*) AS n, sum(us)::HUGEINT AS total_us, list(us ORDER BY us) AS sorted_us
    FROM spans
    GROUP BY ek
)
SELECT k.name AS element_id, s.n, s.total_us,
       rs_quantile_x10(s.sorted_us, 5) AS median_us_x10,
       rs_quantile_x10(s.sorted_us, 9) AS p90_us_x10
FROM s JOIN rs_key k ON k.k = s.ek
