-- Per element whose action queues deliveries (send-email, notify, webhook), over the cohort:
-- deliveries queued, delivered and failed (a retry by hand takes one off failed; the rest are
-- pending), and the latest failure of a delivery still failed (its last attempt failed it).
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                   from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                   utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                   utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                   utm_term = {utm_term:Nullable(String)})
),
queued AS (
    SELECT element_id, count() AS queued
    FROM deliveries
    WHERE map_id = {map_id:String} AND contact_id IN c
    GROUP BY element_id
),
per_delivery AS (
    SELECT element_id, delivery_id,
           countIf(outcome = 'delivered') AS delivered,
           countIf(outcome = 'failed') - countIf(status = 'reopened') AS failed,
           argMax(tuple(outcome, occurred_at, error), attempt) AS last
    FROM delivery_attempts
    WHERE map_id = {map_id:String} AND contact_id IN c
    GROUP BY element_id, delivery_id
),
settled AS (
    SELECT element_id, sum(delivered) AS delivered, sum(failed) AS failed,
           argMaxIf(last.3, tuple(last.2, last.3), last.1 = 'failed') AS last_error
    FROM per_delivery
    GROUP BY element_id
)
SELECT q.element_id AS element_id, q.queued AS queued, coalesce(s.delivered, 0) AS delivered,
       coalesce(s.failed, 0) AS failed, s.last_error AS last_error
FROM queued q LEFT JOIN settled s ON s.element_id = q.element_id
SETTINGS join_use_nulls = 1
