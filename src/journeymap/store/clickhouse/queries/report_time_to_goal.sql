-- For the selected goal, per element E, over the cohort (the jm_followed view): every contact
-- who visited E, followed to its first achievement of the goal after its first arrival at E, or
-- to its exit, or to {now}. Grouped by element, seconds followed and outcome, which is all a
-- Kaplan-Meier estimate needs.
SELECT element_id, seconds, converted, count() AS contacts
FROM jm_followed(map_id = {map_id:String}, last_touch = {last_touch:Bool},
            from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
            utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
            utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
            utm_term = {utm_term:Nullable(String)},
            goal = {goal:String}, now = {now:DateTime64(6, 'UTC')})
GROUP BY element_id, seconds, converted
ORDER BY element_id, seconds
