-- Per element, over the cohort: distinct visitors, those with a live position now (their last
-- arrival at or after their last departure), arrivals (repeats included) and distinct contacts
-- who left along any connector.
WITH per AS (
    -- per contact and element: arrivals (the last one's sequence number) and departures
    SELECT contact_id, assumeNotNull(m.1) AS element_id, countIf(m.2 = 0) AS arrivals,
           maxIf(seq, m.2 = 0) AS arrived, countIf(m.2 = 1) AS departures,
           maxIf(seq, m.2 = 1) AS left_seq, countIf(m.2 = 1 AND connector_id IS NOT NULL)
               AS by_connector
    FROM transitions
    ARRAY JOIN arrayFilter(x -> x.1 IS NOT NULL, [(to_element, 0), (from_element, 1)]) AS m
    WHERE map_id = {map_id:String}
      AND contact_id IN (
          SELECT contact_id
          FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                         from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                         utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                         utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                         utm_term = {utm_term:Nullable(String)})
      )
    GROUP BY contact_id, element_id
)
SELECT element_id, countIf(arrivals > 0) AS visitors,
       countIf(arrivals > 0 AND (departures = 0 OR arrived >= left_seq)) AS here_now,
       sum(arrivals) AS visits, countIf(by_connector > 0) AS left_by_connector
FROM per
GROUP BY element_id
