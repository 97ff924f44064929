-- Per goal, over the cohort: distinct achievers, and those whose first achievement was entering
-- the map at the goal.
SELECT g.goal_id, count(*) AS achieved,
       count(*) FILTER (WHERE g.first_from IS NULL) AS entered_at_goal
FROM rs_goal g
JOIN rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term) c USING (mk)
WHERE g.map_id = $map_id
GROUP BY g.goal_id
