-- For the selected goal, over the cohort: its achievers' credit by element under the attribution
-- model {model} (the jm_credit view), grouped by the element's exponent and the achiever's
-- exponents; element_id NULL: entered the map at the goal. The report adds the exact fractions.
SELECT element_id, r, rs, count() AS contacts
FROM jm_credit(map_id = {map_id:String}, last_touch = {last_touch:Bool},
          from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
          utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
          utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
          utm_term = {utm_term:Nullable(String)},
          goal = {goal:String}, model = {model:String}, half_us = {half_us:Int64})
GROUP BY element_id, r, rs
ORDER BY element_id NULLS FIRST, r, rs
