-- Drill-down of time to goal at {element_id}, per contact (the jm_followed view, as
-- report_time_to_goal.sql counts them): {mode} 'followed' lists every contact who visited the
-- element, 'converted' those who achieved {goal} after their first arrival there, 'censored'
-- the others (still on the way). at: first arrival at the element; value: seconds followed (to
-- the achievement, the last exit from the map, or {now}).
WITH hit AS (
    SELECT contact_id, first_at AS at, seconds AS value
    FROM jm_followed(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                utm_term = {utm_term:Nullable(String)},
                goal = {goal:String}, now = {now:DateTime64(6, 'UTC')})
    WHERE element_id = {element_id:String}
      AND multiIf({mode:String} = 'converted', converted, {mode:String} = 'censored',
                  NOT converted, true)
)
-- (the page of contacts: drill_page.sql)
