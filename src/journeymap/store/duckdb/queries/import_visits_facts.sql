-- Shape the staged visits into facts exactly as the engine records them (docs/import.md). Per
-- contact and map in entered_at order: the first visit enters, unless the contact still stands on
-- the map, when it moves on from there; each later visit moves from from_element_id or else from
-- the previous visit (flow along the map's connector between the two, else pull into a goal,
-- else goto); arriving at a goal achieves it; a last visit with left_at exits.
-- Sequence numbers continue after $base: each contact's chain on a map takes a block of numbers
-- in time order (move, then achievement, for each visit; the exit last), chains one after another
-- in contact order. Numbering this way needs no sort of all facts, only of the chains.
INSERT INTO import_visit_facts
WITH last AS (
    SELECT contact_id, map_id,
           arg_max(to_element, seq) AS element_id, arg_max(entry_id, seq) AS entry_id
    FROM transitions
    WHERE contact_id IN (SELECT contact_id FROM import_visits)
    GROUP BY ALL
),
ordered AS (
    SELECT v.contact_id, v.map_id, v.element_id, v.from_element_id, v.entered_at, v.left_at,
           v.achieved_at, e.kind = 'goal' AS at_goal,
           row_number() OVER w AS visit_no,
           lag(v.element_id) OVER w AS prev_element,
           lead(v.row_no) OVER w IS NULL AS is_last,
           sum(CASE WHEN e.kind = 'goal' THEN 2 ELSE 1 END) OVER w AS facts_upto
    FROM import_visits v
    JOIN import_elements e ON e.map_id = v.map_id AND e.element_id = v.element_id
    WINDOW w AS (
        PARTITION BY v.contact_id, v.map_id ORDER BY v.entered_at, v.row_no
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    )
),
chains AS (
    SELECT contact_id, map_id, n,
           sum(n) OVER (ORDER BY contact_id, map_id ROWS UNBOUNDED PRECEDING) - n AS start
    FROM (
        SELECT contact_id, map_id,
               facts_upto + CASE WHEN left_at IS NOT NULL THEN 1 ELSE 0 END AS n
        FROM ordered WHERE is_last
    )
),
moves AS (
    SELECT o.*,
           $base + ch.start + o.facts_upto - CASE WHEN o.at_goal THEN 1 ELSE 0 END AS move_seq,
           $base + ch.start + ch.n AS exit_seq,
           coalesce(
               CASE WHEN l.element_id IS NOT NULL THEN l.entry_id END, $base + ch.start + 1
           ) AS entry_id,
           CASE WHEN o.visit_no > 1 THEN coalesce(o.from_element_id, o.prev_element)
                WHEN l.element_id IS NOT NULL THEN coalesce(o.from_element_id, l.element_id)
           END AS source
    FROM ordered o
    JOIN chains ch ON ch.contact_id = o.contact_id AND ch.map_id = o.map_id
    LEFT JOIN last l ON l.contact_id = o.contact_id AND l.map_id = o.map_id
)
SELECT m.move_seq, 't', m.contact_id, m.map_id, m.entry_id, m.source, m.element_id,
       c.connector_id,
       CASE WHEN m.source IS NULL THEN 'enter'
            WHEN c.connector_id IS NOT NULL THEN 'flow'
            WHEN m.at_goal THEN 'pull'
            ELSE 'goto' END,
       m.entered_at
FROM moves m
LEFT JOIN import_connectors c
    ON c.map_id = m.map_id AND c.from_element = m.source AND c.to_element = m.element_id
UNION ALL
SELECT move_seq + 1, 'a', contact_id, map_id, entry_id, source, element_id, NULL, NULL,
       coalesce(achieved_at, entered_at)
FROM moves WHERE at_goal
UNION ALL
SELECT exit_seq, 't', contact_id, map_id, entry_id, element_id, NULL, NULL, 'exit', left_at
FROM moves WHERE is_last AND left_at IS NOT NULL
