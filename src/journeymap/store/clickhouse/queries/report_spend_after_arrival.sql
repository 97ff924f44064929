-- Per element, over the cohort: purchases (refunds netted) made at or after each visitor's
-- first arrival at the element.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                   from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                   utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                   utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                   utm_term = {utm_term:Nullable(String)})
),
arrivals AS (
    SELECT contact_id, assumeNotNull(to_element) AS element_id,
           argMin(occurred_at, seq) AS arrived_at
    FROM transitions
    WHERE map_id = {map_id:String} AND to_element IS NOT NULL AND contact_id IN c
    GROUP BY contact_id, element_id
)
SELECT a.element_id AS element_id, sum(p.amount) AS amount_spent
FROM arrivals a JOIN purchases p ON p.contact_id = a.contact_id
WHERE p.occurred_at >= a.arrived_at AND p.contact_id IN c
GROUP BY a.element_id
