-- Drill-down of delivery figures on element {element_id}, over the cohort (the jm_deliveries
-- view, as report_deliveries.sql counts them): contacts with {state} ('delivered', 'pending',
-- 'failed') deliveries. at: the first delivery (delivered), the first delivery still queued
-- (pending) or the latest failure of one still failed (failed); value: how many deliveries.
WITH d AS (
    SELECT *
    FROM jm_deliveries(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                  from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                  utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                  utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                  utm_term = {utm_term:Nullable(String)})
    WHERE element_id = {element_id:String}
),
delivered AS (
    SELECT contact_id, min(occurred_at) AS at
    FROM delivery_attempts
    WHERE map_id = {map_id:String} AND element_id = {element_id:String} AND outcome = 'delivered'
    GROUP BY contact_id
),
per_contact AS (
    SELECT contact_id, sum(delivered) AS delivered, sum(failed) AS failed,
           count() - delivered - failed AS pending,
           minIfOrNull(created_at, last_outcome IS NULL OR last_outcome = 'pending') AS queued_at,
           maxIfOrNull(last_at, last_outcome = 'failed') AS failed_at
    FROM d
    GROUP BY contact_id
),
hit AS (
    SELECT p.contact_id AS contact_id,
           multiIf({state:String} = 'delivered', x.at, {state:String} = 'pending', p.queued_at,
                   p.failed_at) AS at,
           multiIf({state:String} = 'delivered', p.delivered, {state:String} = 'failed', p.failed,
                   p.pending) AS value
    FROM per_contact p LEFT JOIN delivered x ON x.contact_id = p.contact_id
    WHERE value > 0
    SETTINGS join_use_nulls = 1
)
-- (the page of contacts: drill_page.sql)
