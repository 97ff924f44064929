-- Per element, over the cohort: net spend (all purchases, all time, refunds netted) of the
-- distinct contacts who visited it.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                   from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                   utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                   utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                   utm_term = {utm_term:Nullable(String)})
),
visitors AS (
    SELECT DISTINCT contact_id, assumeNotNull(to_element) AS element_id
    FROM transitions
    WHERE map_id = {map_id:String} AND to_element IS NOT NULL AND contact_id IN c
),
spend AS (
    SELECT contact_id, sum(amount) AS total
    FROM purchases WHERE contact_id IN c
    GROUP BY contact_id
)
SELECT v.element_id AS element_id, sum(s.total) AS amount_spent
FROM visitors v JOIN spend s ON s.contact_id = v.contact_id
GROUP BY v.element_id
