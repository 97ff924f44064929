-- Per element: distinct contacts with a live position now (engine_live_positions.sql), and
-- distinct contacts who were there before (visited, no live position). Used by the demo
-- summary; reports have their own.
WITH t AS (SELECT * FROM transitions WHERE map_id = {map_id:String}),
visitors AS (
    SELECT assumeNotNull(to_element) AS element_id, uniqExact(contact_id) AS visitors
    FROM t WHERE to_element IS NOT NULL
    GROUP BY element_id
),
arrivals AS (
    SELECT contact_id, assumeNotNull(to_element) AS element_id, max(seq) AS arrived_seq
    FROM t WHERE to_element IS NOT NULL
    GROUP BY contact_id, element_id
),
departures AS (
    SELECT contact_id, assumeNotNull(from_element) AS element_id, max(seq) AS left_seq
    FROM t WHERE from_element IS NOT NULL
    GROUP BY contact_id, element_id
),
live AS (
    SELECT a.element_id AS element_id, count() AS here_now
    FROM arrivals a
    LEFT JOIN departures d ON d.contact_id = a.contact_id AND d.element_id = a.element_id
    WHERE d.left_seq IS NULL OR a.arrived_seq >= d.left_seq
    GROUP BY a.element_id
    SETTINGS join_use_nulls = 1
)
SELECT v.element_id AS element_id, coalesce(l.here_now, 0) AS here_now,
       v.visitors - coalesce(l.here_now, 0) AS were_here
FROM visitors v LEFT JOIN live l ON l.element_id = v.element_id
SETTINGS join_use_nulls = 1
