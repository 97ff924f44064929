-- Drill-down of amount spent on {element_id}: every visitor in the cohort (the average divides
-- by all of them), with its net spend (report_spend.sql) or, when {after_arrival}, its
-- purchases at or after its first arrival (report_spend_after_arrival.sql). at: first arrival.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
visitor AS (
    SELECT contact_id, argMin(occurred_at, seq) AS first_at
    FROM transitions
    WHERE map_id = {map_id:String} AND to_element = {element_id:String} AND contact_id IN c
    GROUP BY contact_id
),
hit AS (
    -- visitors joined to their purchases once (each reference to `visitor` plans the cohort)
    SELECT v.contact_id AS contact_id, any(v.first_at) AS at,
           CAST(coalesce(sumIf(p.amount, NOT {after_arrival:Bool} OR p.occurred_at >= v.first_at),
                         0), 'Decimal(18, 2)') AS value
    FROM visitor v LEFT JOIN purchases p ON p.contact_id = v.contact_id
    GROUP BY v.contact_id
    SETTINGS join_use_nulls = 1
)
-- (the page of contacts: drill_page.sql)
