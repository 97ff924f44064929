-- Drill-down of goal conversion point under an attribution model: the achievers of {goal}
-- credited on {element_id} (the jm_credit view). at: the first achievement; value: the contact's
-- credit there (2^-r / Σ 2^-rs, to double precision; the report gives the exact sum).
WITH hit AS (
    SELECT contact_id, achieved_at AS at,
           pow(2, -r) / arraySum(arrayMap(x -> pow(2, -x), rs)) AS value
    FROM jm_credit(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)},
              goal = {goal:String}, model = {model:String}, half_us = {half_us:Int64})
    WHERE element_id = {element_id:String}
)
-- (the page of contacts: drill_page.sql)
