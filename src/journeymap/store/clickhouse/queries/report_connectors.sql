-- Per connector, over the cohort: distinct contacts who moved along it.
SELECT assumeNotNull(connector_id) AS connector_id, uniqExact(contact_id) AS contacts
FROM transitions
WHERE map_id = {map_id:String} AND connector_id IS NOT NULL
  AND contact_id IN (
      SELECT contact_id
      FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                     from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                     utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                     utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                     utm_term = {utm_term:Nullable(String)})
  )
GROUP BY connector_id
