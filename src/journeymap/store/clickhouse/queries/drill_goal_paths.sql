-- Drill-down of "visited {element_id} and later achieved {goal}" (to_goal, conversion time n),
-- per contact, as report_goal_paths.sql counts them (the jm_goal_paths view). at: the
-- achievement counted; value: seconds from first arrival at the element to it.
WITH hit AS (
    SELECT contact_id, achieved_at AS at, us / 1e6 AS value
    FROM jm_goal_paths(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                  from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                  utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                  utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                  utm_term = {utm_term:Nullable(String)},
                  goal = {goal:String})
    WHERE element_id = {element_id:String}
)
SELECT h.contact_id AS contact_id, k.created_at AS created_at,
       k.first_utm_source AS first_utm_source, k.first_utm_medium AS first_utm_medium,
       k.first_utm_campaign AS first_utm_campaign, k.first_utm_content AS first_utm_content,
       k.first_utm_term AS first_utm_term, h.at AS at, h.value AS value, count() OVER () AS total
FROM hit h
LEFT JOIN (SELECT * FROM contacts FINAL) k ON k.contact_id = h.contact_id
ORDER BY at ASC NULLS LAST, contact_id
LIMIT ifNull({limit:Nullable(Int64)}, 9223372036854775807) OFFSET {offset:Int64}
SETTINGS join_use_nulls = 1
