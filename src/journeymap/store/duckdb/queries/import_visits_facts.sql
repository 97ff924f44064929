-- Shape the staged visits into facts exactly as the engine records them (docs/import.md). Per
-- contact and map in entered_at order: the first visit enters, unless the contact still stands on
-- the map, when it moves on from there; each later visit moves from from_element_id or else from
-- the previous visit (flow along the map's connector between the two, else pull into a goal,
-- else goto); arriving at a goal achieves it; a last visit with left_at exits. Sequence numbers
-- continue after $base in time order.
INSERT INTO import_visit_facts
WITH last AS (
    SELECT contact_id, map_id,
           arg_max(to_element, seq) AS element_id, arg_max(entry_id, seq) AS entry_id
    FROM transitions
    WHERE contact_id IN (SELECT contact_id FROM import_visits)
    GROUP BY ALL
),
ordered AS (
    SELECT contact_id, map_id, element_id, from_element_id, entered_at, left_at, achieved_at,
           row_number() OVER w AS visit_no,
           lag(element_id) OVER w AS prev_element,
           lead(row_no) OVER w IS NULL AS is_last
    FROM import_visits
    WINDOW w AS (PARTITION BY contact_id, map_id ORDER BY entered_at, row_no)
),
moves AS (
    SELECT o.*,
           CASE WHEN l.element_id IS NOT NULL THEN l.entry_id END AS anchor_entry,
           CASE WHEN o.visit_no > 1 THEN coalesce(o.from_element_id, o.prev_element)
                WHEN l.element_id IS NOT NULL THEN coalesce(o.from_element_id, l.element_id)
           END AS source,
           e.kind = 'goal' AS at_goal
    FROM ordered o
    JOIN import_elements e ON e.map_id = o.map_id AND e.element_id = o.element_id
    LEFT JOIN last l ON l.contact_id = o.contact_id AND l.map_id = o.map_id
),
facts AS (
    SELECT 't' AS fact, m.contact_id, m.map_id, m.anchor_entry, m.visit_no, 0 AS part,
           m.source AS from_element, m.element_id AS to_element, c.connector_id,
           CASE WHEN m.source IS NULL THEN 'enter'
                WHEN c.connector_id IS NOT NULL THEN 'flow'
                WHEN m.at_goal THEN 'pull'
                ELSE 'goto' END AS kind,
           m.entered_at AS occurred_at
    FROM moves m
    LEFT JOIN import_connectors c
        ON c.map_id = m.map_id AND c.from_element = m.source AND c.to_element = m.element_id
    UNION ALL
    SELECT 'a', contact_id, map_id, anchor_entry, visit_no, 1, source, element_id, NULL, NULL,
           coalesce(achieved_at, entered_at)
    FROM moves WHERE at_goal
    UNION ALL
    SELECT 't', contact_id, map_id, anchor_entry, visit_no, 2, element_id, NULL, NULL, 'exit',
           left_at
    FROM moves WHERE is_last AND left_at IS NOT NULL
),
numbered AS (
    SELECT *,
           $base + row_number() OVER (
               ORDER BY occurred_at, contact_id, map_id, visit_no, part
           ) AS seq
    FROM facts
)
SELECT seq, fact, contact_id, map_id,
       coalesce(
           anchor_entry,
           min(seq) FILTER (WHERE kind = 'enter') OVER (PARTITION BY contact_id, map_id)
       ) AS entry_id,
       from_element, to_element, connector_id, kind, occurred_at
FROM numbered
ORDER BY seq
