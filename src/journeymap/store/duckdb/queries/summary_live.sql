-- The live-position rule, defined once for every query that asks where contacts stand (report
-- summaries, the engine's positions on start, here now, the simulator's overdue waits, the
-- baselines). A contact holds a live position on an element when the last move touching the
-- element arrived there: its last arrival is at or after its last departure. A move from an
-- element to itself (a repeated visit) is both, so the contact is still there after it.
CREATE OR REPLACE MACRO jm_live(last_arrival_seq, last_departure_seq) AS
    last_arrival_seq IS NOT NULL
    AND (last_departure_seq IS NULL OR last_arrival_seq >= last_departure_seq);
-- Every live position in the facts, of one map (p_map_id) or of all (NULL): contact, map,
-- element and the sequence number of the arrival it stands on.
CREATE OR REPLACE MACRO jm_live_positions(p_map_id) AS TABLE
WITH arrivals AS (
    SELECT contact_id, map_id, to_element AS element_id, max(seq) AS arrived_seq
    FROM transitions
    WHERE to_element IS NOT NULL AND (p_map_id IS NULL OR map_id = p_map_id)
    GROUP BY ALL
),
departures AS (
    SELECT contact_id, map_id, from_element AS element_id, max(seq) AS left_seq
    FROM transitions
    WHERE from_element IS NOT NULL AND (p_map_id IS NULL OR map_id = p_map_id)
    GROUP BY ALL
)
SELECT a.contact_id, a.map_id, a.element_id, a.arrived_seq
FROM arrivals a LEFT JOIN departures d USING (contact_id, map_id, element_id)
WHERE jm_live(a.arrived_seq, d.left_seq);
