-- Every live position on every map, to rebuild the engine's state on start. A position is live
-- when the element's last arrival comes after its last departure; a goal position is achieved
-- when an achievement of that goal follows the arrival.
WITH arrivals AS (
    SELECT contact_id, map_id, to_element AS element_id, max(seq) AS arrived_seq
    FROM transitions WHERE to_element IS NOT NULL GROUP BY ALL
),
departures AS (
    SELECT contact_id, map_id, from_element AS element_id, max(seq) AS left_seq
    FROM transitions WHERE from_element IS NOT NULL GROUP BY ALL
),
live AS (
    SELECT a.* FROM arrivals a LEFT JOIN departures d USING (contact_id, map_id, element_id)
    WHERE d.left_seq IS NULL OR d.left_seq < a.arrived_seq
)
SELECT l.contact_id, l.map_id, l.element_id, l.arrived_seq, t.entry_id,
       t.occurred_at AS arrived_at, t.from_element AS came_from, w.due_at,
       EXISTS (
           SELECT 1 FROM achievements ac
           WHERE ac.contact_id = l.contact_id AND ac.map_id = l.map_id
             AND ac.goal_id = l.element_id AND ac.seq > l.arrived_seq
       ) AS achieved
FROM live l
JOIN transitions t ON t.seq = l.arrived_seq
LEFT JOIN waits w
    ON w.contact_id = l.contact_id AND w.map_id = l.map_id
   AND w.element_id = l.element_id AND w.arrived_seq = l.arrived_seq
ORDER BY l.arrived_seq
