-- Per element: distinct contacts with a live position now (jm_live_positions), and distinct
-- contacts who were there before (visited, no live position). Used by the demo summary;
-- reports have their own.
WITH visitors AS (
    SELECT to_element AS element_id, count(DISTINCT contact_id) AS visitors
    FROM transitions WHERE map_id = $map_id AND to_element IS NOT NULL
    GROUP BY ALL
),
live AS (
    SELECT element_id, count(*) AS here_now FROM jm_live_positions($map_id) GROUP BY ALL
)
SELECT v.element_id, coalesce(l.here_now, 0) AS here_now,
       v.visitors - coalesce(l.here_now, 0) AS were_here
FROM visitors v LEFT JOIN live l USING (element_id)
