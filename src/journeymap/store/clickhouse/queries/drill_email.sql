-- Drill-down of email stats on send-email element {element_id}, over the cohort: contacts with
-- at least one {event} event ('sent', 'opened', 'clicked', 'unsubscribed') from it, as
-- report_email.sql counts them. at: the first such event; value: how many there were.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
hit AS (
    SELECT contact_id, min(occurred_at) AS at, count() AS value
    FROM email_events
    WHERE map_id = {map_id:String} AND element_id = {element_id:String}
      AND event = {event:String} AND contact_id IN c
    GROUP BY contact_id
)
-- (the page of contacts: drill_page.sql)
