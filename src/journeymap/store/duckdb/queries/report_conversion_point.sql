-- For the selected goal, over the cohort: achievers by the element they were on at their first
-- achievement (NULL: they entered the map at the goal).
SELECT g.first_from AS element_id, count(*) AS contacts
FROM rs_goal g
JOIN rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term) c USING (mk)
WHERE g.map_id = $map_id AND g.goal_id = $goal
GROUP BY g.first_from
