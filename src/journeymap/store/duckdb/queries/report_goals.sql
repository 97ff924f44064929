-- Per goal, over the cohort: distinct achievers, and those whose first achievement was entering
-- the map at the goal.
WITH s AS (
    SELECT gk, count(*) AS achieved, count(*) FILTER (WHERE first_from IS NULL) AS entered_at_goal
    FROM rs_goal_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5)
    GROUP BY gk
)
SELECT k.name AS goal_id, s.achieved, s.entered_at_goal
FROM s JOIN rs_key k ON k.k = s.gk
