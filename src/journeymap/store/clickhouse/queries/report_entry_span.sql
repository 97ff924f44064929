-- The first and the last first entry into the map among the cohort's contacts (a cohort trend's
-- periods run from the one to the other; NULL for an empty cohort).
SELECT minOrNull(cohort_at) AS first_at, maxOrNull(cohort_at) AS last_at
FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
               from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
               utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
               utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
               utm_term = {utm_term:Nullable(String)})
