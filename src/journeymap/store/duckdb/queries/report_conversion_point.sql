-- For the selected goal, over the cohort: achievers by the element they were on at their first
-- achievement (NULL: they entered the map at the goal).
WITH s AS (
    SELECT first_from, count(*) AS contacts
    FROM rs_goal_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5)
    WHERE gk = (SELECT k FROM rs_key WHERE mapk = $mapk AND kind = 'element' AND name = $goal)
    GROUP BY first_from
)
SELECT k.name AS element_id, s.contacts
FROM s LEFT JOIN rs_key k ON k.k = s.first_from
