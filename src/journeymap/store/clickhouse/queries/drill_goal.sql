-- Drill-down of goal achievers over the cohort, as report_goals.sql and
-- report_conversion_point.sql count them: {mode} 'achieved' (every achiever of {goal}, or of any
-- goal when {goal} is NULL), 'point' (first achievement while on {element_id}) or 'entered'
-- (entered the map at the goal). at: first achievement; value: achievements.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
firsts AS (
    SELECT contact_id, goal_id, argMin(occurred_at, seq) AS first_at,
           argMin(tuple(from_element), seq).1 AS first_from, count() AS achievements
    FROM achievements
    WHERE map_id = {map_id:String} AND contact_id IN c
      AND ({goal:Nullable(String)} IS NULL OR goal_id = {goal:Nullable(String)})
    GROUP BY contact_id, goal_id
),
hit AS (
    SELECT contact_id, min(first_at) AS at, sum(achievements) AS value
    FROM firsts
    WHERE multiIf({mode:String} = 'point', first_from = {element_id:Nullable(String)},
                  {mode:String} = 'entered', first_from IS NULL, true)
    GROUP BY contact_id
)
-- (the page of contacts: drill_page.sql)
