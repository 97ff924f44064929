-- Drill-down of the cohort itself: contacts who entered the map in the date range with the UTM
-- as filtered (report_cohort_size.sql). at: first entry into the map; value: none.
WITH hit AS (
    SELECT contact_id, cohort_at AS at, CAST(NULL, 'Nullable(Int64)') AS value
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
)
-- (the page of contacts: drill_page.sql)
