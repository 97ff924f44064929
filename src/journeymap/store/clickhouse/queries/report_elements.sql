-- Per element, over the cohort: distinct visitors, those with a live position now (their last
-- arrival at or after their last departure), arrivals (repeats included) and distinct contacts
-- who left along any connector.
WITH t AS (
    SELECT contact_id, to_element, from_element, connector_id, seq
    FROM transitions
    WHERE map_id = {map_id:String}
      AND contact_id IN (
          SELECT contact_id
          FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                         from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                         utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                         utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                         utm_term = {utm_term:Nullable(String)})
      )
),
arrivals AS (
    SELECT contact_id, assumeNotNull(to_element) AS element_id, max(seq) AS arrived,
           count() AS visits
    FROM t WHERE to_element IS NOT NULL
    GROUP BY contact_id, element_id
),
departures AS (
    SELECT contact_id, assumeNotNull(from_element) AS element_id, max(seq) AS left_seq,
           countIf(connector_id IS NOT NULL) AS by_connector
    FROM t WHERE from_element IS NOT NULL
    GROUP BY contact_id, element_id
)
SELECT element_id, countIf(arrived IS NOT NULL) AS visitors,
       countIf(arrived IS NOT NULL AND (left_seq IS NULL OR arrived >= left_seq)) AS here_now,
       sum(coalesce(visits, 0)) AS visits,
       countIf(by_connector > 0) AS left_by_connector
FROM arrivals FULL OUTER JOIN departures USING (contact_id, element_id)
GROUP BY element_id
SETTINGS join_use_nulls = 1
