-- Drill-down of a connector's contacts, over the cohort: those who moved along {connector_id},
-- as report_connectors.sql counts them. at: their first move along it; value: how many times
-- they moved along it.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
hit AS (
    SELECT contact_id, min(occurred_at) AS at, count() AS value
    FROM transitions
    WHERE map_id = {map_id:String} AND connector_id = {connector_id:String} AND contact_id IN c
    GROUP BY contact_id
)
-- (the page of contacts: drill_page.sql)
