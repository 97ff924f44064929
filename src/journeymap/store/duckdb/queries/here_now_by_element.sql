-- Per element: distinct contacts with a live position now, and distinct contacts who were
-- there before (visited, no live position). Used by the demo summary; reports have their own.
WITH t AS (SELECT * FROM transitions WHERE map_id = $map_id),
arrivals AS (
    SELECT contact_id, to_element AS element_id, max(seq) AS arrived_seq
    FROM t WHERE to_element IS NOT NULL GROUP BY ALL
),
departures AS (
    SELECT contact_id, from_element AS element_id, max(seq) AS left_seq
    FROM t WHERE from_element IS NOT NULL GROUP BY ALL
)
SELECT a.element_id,
       count(*) FILTER (WHERE d.left_seq IS NULL OR d.left_seq < a.arrived_seq) AS here_now,
       count(*) FILTER (WHERE d.left_seq > a.arrived_seq) AS were_here
FROM arrivals a LEFT JOIN departures d USING (contact_id, element_id)
GROUP BY a.element_id
