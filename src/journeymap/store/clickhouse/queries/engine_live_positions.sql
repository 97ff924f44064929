-- Every live position on every map, to rebuild the engine's state on start: the last move
-- touching an element arrived there (its last arrival at or after its last departure); a goal
-- position is achieved when an achievement of that goal follows the arrival.
WITH arrivals AS (
    SELECT contact_id, map_id, assumeNotNull(to_element) AS element_id, max(seq) AS arrived_seq
    FROM transitions WHERE to_element IS NOT NULL
    GROUP BY contact_id, map_id, element_id
),
departures AS (
    SELECT contact_id, map_id, assumeNotNull(from_element) AS element_id, max(seq) AS left_seq
    FROM transitions WHERE from_element IS NOT NULL
    GROUP BY contact_id, map_id, element_id
),
live AS (
    SELECT a.contact_id AS contact_id, a.map_id AS map_id, a.element_id AS element_id,
           a.arrived_seq AS arrived_seq
    FROM arrivals a
    LEFT JOIN departures d
        ON d.contact_id = a.contact_id AND d.map_id = a.map_id AND d.element_id = a.element_id
    WHERE d.left_seq IS NULL OR a.arrived_seq >= d.left_seq
),
reached AS (
    SELECT contact_id, map_id, goal_id, max(seq) AS last_seq
    FROM achievements GROUP BY contact_id, map_id, goal_id
)
SELECT l.contact_id AS contact_id, l.map_id AS map_id, l.element_id AS element_id,
       l.arrived_seq AS arrived_seq, t.entry_id AS entry_id, t.occurred_at AS arrived_at,
       t.from_element AS came_from, w.due_at AS due_at,
       coalesce(r.last_seq > l.arrived_seq, false) AS achieved
FROM live l
JOIN transitions t ON t.seq = l.arrived_seq
LEFT JOIN waits w
    ON w.contact_id = l.contact_id AND w.map_id = l.map_id
   AND w.element_id = l.element_id AND w.arrived_seq = l.arrived_seq
LEFT JOIN reached r
    ON r.contact_id = l.contact_id AND r.map_id = l.map_id AND r.goal_id = l.element_id
ORDER BY l.arrived_seq
SETTINGS join_use_nulls = 1
