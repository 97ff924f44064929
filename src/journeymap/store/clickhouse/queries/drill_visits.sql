-- Drill-down of here now, were here and visitors (visits) on element {element_id}, over the
-- cohort, with the live test of report_elements.sql. {state} is 'here_now', 'were_here' or
-- 'visitors'. at: arrival of the live position (here now) or first arrival; value: arrivals,
-- repeats included. Paged by {limit}/{offset} (NULL: all) in a stable order.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
arrivals AS (
    SELECT contact_id, argMin(occurred_at, seq) AS first_at, argMax(occurred_at, seq) AS last_at,
           max(seq) AS last_seq, count() AS visits
    FROM transitions
    WHERE map_id = {map_id:String} AND to_element = {element_id:String} AND contact_id IN c
    GROUP BY contact_id
),
departures AS (
    SELECT contact_id, max(seq) AS left_seq
    FROM transitions
    WHERE map_id = {map_id:String} AND from_element = {element_id:String} AND contact_id IN c
    GROUP BY contact_id
),
visit AS (
    SELECT a.contact_id AS contact_id, a.first_at AS first_at, a.last_at AS last_at,
           a.visits AS visits, d.left_seq IS NULL OR a.last_seq >= d.left_seq AS live
    FROM arrivals a LEFT JOIN departures d ON d.contact_id = a.contact_id
    SETTINGS join_use_nulls = 1
),
hit AS (
    SELECT contact_id, if({state:String} = 'here_now', last_at, first_at) AS at, visits AS value
    FROM visit
    WHERE multiIf({state:String} = 'here_now', live, {state:String} = 'were_here', NOT live, true)
)
-- (the page of contacts: drill_page.sql)
