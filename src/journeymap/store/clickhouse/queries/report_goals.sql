-- Per goal, over the cohort: distinct achievers, and those whose first achievement was entering
-- the map at the goal (it came from no element).
WITH firsts AS (
    SELECT goal_id, contact_id, argMin(tuple(from_element), seq).1 AS first_from
    FROM achievements
    WHERE map_id = {map_id:String}
      AND contact_id IN (
          SELECT contact_id
          FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                         from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                         utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                         utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                         utm_term = {utm_term:Nullable(String)})
      )
    GROUP BY goal_id, contact_id
)
SELECT goal_id, count() AS achieved, countIf(first_from IS NULL) AS entered_at_goal
FROM firsts
GROUP BY goal_id
