-- Drill-down of funnel step {k} on element {element_id} (the jm_funnel view, as
-- report_funnel.sql counts it): not {direct}, the contacts whose match for step {k} was there;
-- {direct}, those who took step {k} directly there. at: when they took it (the fact with that
-- sequence number); value: none.
WITH f AS (
    SELECT contact_id, seq
    FROM jm_funnel(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)},
              step_names = {step_names:Array(String)},
              step_numbers = {step_numbers:Array(Int64)}, goal_steps = {goal_steps:Array(String)})
    WHERE k = {k:Int64} AND element_id = {element_id:String}
      AND took = if({direct:Bool}, 'direct', 'reached')
),
facts AS (
    -- the facts a match there can be (sequence numbers are unique across both tables)
    SELECT seq, occurred_at FROM transitions
    WHERE map_id = {map_id:String} AND to_element = {element_id:String}
    UNION ALL
    SELECT seq, occurred_at FROM achievements
    WHERE map_id = {map_id:String} AND goal_id = {element_id:String}
),
hit AS (
    SELECT f.contact_id AS contact_id, x.occurred_at AS at, CAST(NULL, 'Nullable(Int64)') AS value
    FROM f LEFT JOIN facts x ON x.seq = f.seq
    SETTINGS join_use_nulls = 1
)
-- (the page of contacts: drill_page.sql)
