-- Per send-email element, over the cohort: emails sent, and distinct contacts who opened,
-- clicked and unsubscribed.
SELECT assumeNotNull(element_id) AS element_id, countIf(event = 'sent') AS sent,
       uniqExactIf(contact_id, event = 'opened') AS opened,
       uniqExactIf(contact_id, event = 'clicked') AS clicked,
       uniqExactIf(contact_id, event = 'unsubscribed') AS unsubscribed
FROM email_events
WHERE map_id = {map_id:String} AND element_id IS NOT NULL
  AND contact_id IN (
      SELECT contact_id
      FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                     from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                     utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                     utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                     utm_term = {utm_term:Nullable(String)})
  )
GROUP BY element_id
