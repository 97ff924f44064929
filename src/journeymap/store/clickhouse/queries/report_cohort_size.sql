-- Contacts in the cohort: first entry into the map in the date range, UTM as filtered.
SELECT count() AS cohort_size
FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
               from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
               utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
               utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
               utm_term = {utm_term:Nullable(String)})
