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
visit AS (
    -- arrivals at the element and departures from it in one pass (each `IN c` plans the cohort)
    SELECT contact_id,
           argMinIf(occurred_at, seq, ifNull(to_element = {element_id:String}, 0)) AS first_at,
           argMaxIf(occurred_at, seq, ifNull(to_element = {element_id:String}, 0)) AS last_at,
           countIf(ifNull(to_element = {element_id:String}, 0)) AS visits,
           maxIf(seq, ifNull(to_element = {element_id:String}, 0)) AS last_seq,
           maxIfOrNull(seq, ifNull(from_element = {element_id:String}, 0)) AS left_seq,
           left_seq IS NULL OR last_seq >= left_seq AS live
    FROM transitions
    WHERE map_id = {map_id:String} AND contact_id IN c
      AND (to_element = {element_id:String} OR from_element = {element_id:String})
    GROUP BY contact_id
    HAVING visits > 0
),
hit AS (
    SELECT contact_id, if({state:String} = 'here_now', last_at, first_at) AS at, visits AS value
    FROM visit
    WHERE multiIf({state:String} = 'here_now', live, {state:String} = 'were_here', NOT live, true)
)
-- (the page of contacts: drill_page.sql)
