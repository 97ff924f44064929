-- Fold a block of waits (`_jm_block`) into the stays they begin (rs_stay: the stay whose first
-- arrival is the wait's), every row of the stay. Runs after summary_members.sql (`_jm_mk`); the
-- engine writes a wait after the transition it begins at, in the same append.
UPDATE rs_stay SET due_us = epoch_us(w.due_at)
FROM (
    SELECT m.mk, e.k AS ek, b.arrived_seq, b.due_at
    FROM _jm_block b
    JOIN _jm_mk m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
    JOIN rs_key e ON e.mapk = m.mapk AND e.kind = 'element' AND e.name = b.element_id
) w
WHERE rs_stay.mk = w.mk AND rs_stay.ek = w.ek AND rs_stay.arrived_seq = w.arrived_seq;
