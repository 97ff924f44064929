-- Live positions on a wait whose due time is at or before $now: none once the scheduler ran.
WITH arrivals AS (
    SELECT contact_id, map_id, to_element AS element_id, max(seq) AS arrived_seq
    FROM transitions WHERE to_element IS NOT NULL GROUP BY ALL
),
departures AS (
    SELECT contact_id, map_id, from_element AS element_id, max(seq) AS left_seq
    FROM transitions WHERE from_element IS NOT NULL GROUP BY ALL
)
SELECT a.contact_id, a.map_id, a.element_id, w.due_at
FROM arrivals a
LEFT JOIN departures d USING (contact_id, map_id, element_id)
JOIN waits w USING (contact_id, map_id, element_id)
WHERE (d.left_seq IS NULL OR d.left_seq < a.arrived_seq)
  AND w.arrived_seq = a.arrived_seq AND w.due_at <= $now
