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
-- (the page of contacts: drill_page.sql)
