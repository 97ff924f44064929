-- For the selected goal, over the cohort: achievers by the element they were on at their first
-- achievement (NULL: they entered the map at the goal).
SELECT element_id, count() AS contacts
FROM (
    SELECT contact_id, argMin(tuple(from_element), seq).1 AS element_id
    FROM achievements
    WHERE map_id = {map_id:String} AND goal_id = {goal:String}
      AND contact_id IN (
          SELECT contact_id
          FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                         from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                         utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                         utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                         utm_term = {utm_term:Nullable(String)})
      )
    GROUP BY contact_id
)
GROUP BY element_id
