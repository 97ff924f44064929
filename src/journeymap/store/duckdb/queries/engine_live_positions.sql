-- Every live position on every map, to rebuild the engine's state on start: the live element
-- visits of the summaries (rs_visit.live, the rule jm_live in summary_live.sql, kept current in
-- every append), so only those arrivals are looked up among the transitions. A goal position is
-- achieved when the member's last achievement of that goal follows the arrival.
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
WHERE v.live = 1
ORDER BY v.last_arrival_seq
