-- Per element whose action queues deliveries (send-email, notify, webhook), over the cohort
-- (the jm_deliveries view): deliveries queued, delivered and failed (the rest are pending), and
-- the latest failure of a delivery still failed (its last attempt failed it).
SELECT element_id, count() AS queued, sum(delivered) AS delivered, sum(failed) AS failed,
       argMaxIf(last_error, tuple(last_at, last_error), last_outcome = 'failed') AS last_error
FROM jm_deliveries(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
GROUP BY element_id
