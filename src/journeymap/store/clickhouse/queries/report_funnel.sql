-- Funnel Conversion over the cohort (the jm_funnel view): per step element, the contacts whose
-- match for its step was there ('reached') and those who took its step directly there
-- ('direct').
SELECT element_id, k AS step, took, count() AS contacts
FROM jm_funnel(map_id = {map_id:String}, last_touch = {last_touch:Bool},
               from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
               utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
               utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
               utm_term = {utm_term:Nullable(String)},
               step_names = {step_names:Array(String)}, step_numbers = {step_numbers:Array(Int64)},
               goal_steps = {goal_steps:Array(String)})
GROUP BY element_id, step, took
ORDER BY step, element_id, took
