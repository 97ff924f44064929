-- The live positions of the contacts a history import wrote (as engine_live_positions.sql reads
-- every live position), to read back into the engine's state file.
SELECT m.contact_id, m.map_id, e.name AS element_id, v.last_arrival_seq AS arrived_seq,
       t.entry_id, t.occurred_at AS arrived_at, t.from_element AS came_from, w.due_at,
       coalesce(g.last_seq > v.last_arrival_seq, false) AS achieved
FROM rs_visit v
JOIN rs_member m ON m.mk = v.mk
JOIN rs_key e ON e.k = v.ek
JOIN transitions t ON t.seq = v.last_arrival_seq
LEFT JOIN rs_goal g ON g.mk = v.mk AND g.gk = v.ek
LEFT JOIN waits w
    ON w.contact_id = m.contact_id AND w.map_id = m.map_id
   AND w.element_id = e.name AND w.arrived_seq = v.last_arrival_seq
WHERE v.live = 1 AND m.contact_id IN (SELECT contact_id FROM engine_stale)
ORDER BY v.last_arrival_seq
