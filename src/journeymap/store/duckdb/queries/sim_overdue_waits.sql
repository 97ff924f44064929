-- Live positions (jm_live_positions) on a wait whose due time is at or before $now: none once
-- the scheduler ran.
SELECT l.contact_id, l.map_id, l.element_id, w.due_at
FROM jm_live_positions(NULL) l
JOIN waits w
    ON w.contact_id = l.contact_id AND w.map_id = l.map_id
   AND w.element_id = l.element_id AND w.arrived_seq = l.arrived_seq
WHERE w.due_at <= $now
