-- Every live position on every map (jm_live_positions), to rebuild the engine's state on start;
-- a goal position is achieved when an achievement of that goal follows the arrival.
SELECT l.contact_id, l.map_id, l.element_id, l.arrived_seq, t.entry_id,
       t.occurred_at AS arrived_at, t.from_element AS came_from, w.due_at,
       EXISTS (
           SELECT 1 FROM achievements ac
           WHERE ac.contact_id = l.contact_id AND ac.map_id = l.map_id
             AND ac.goal_id = l.element_id AND ac.seq > l.arrived_seq
       ) AS achieved
FROM jm_live_positions(NULL) l
JOIN transitions t ON t.seq = l.arrived_seq
LEFT JOIN waits w
    ON w.contact_id = l.contact_id AND w.map_id = l.map_id
   AND w.element_id = l.element_id AND w.arrived_seq = l.arrived_seq
ORDER BY l.arrived_seq
