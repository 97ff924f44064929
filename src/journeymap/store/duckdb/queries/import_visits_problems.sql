-- The first staged visit that contradicts its neighbours: earlier than the contact's last recorded
-- move on the map, or a goal achieved after the contact already moved on to its next visit.
WITH last AS (
    SELECT contact_id, map_id, max(occurred_at) AS last_at
    FROM transitions
    WHERE contact_id IN (SELECT contact_id FROM import_visits)
    GROUP BY ALL
),
nexts AS (
    SELECT row_no, achieved_at,
           lead(entered_at) OVER (
               PARTITION BY contact_id, map_id ORDER BY entered_at, row_no
           ) AS next_at
    FROM import_visits
)
SELECT row_no, column_name, problem, detail FROM (
    SELECT v.row_no, 'entered_at' AS column_name, 'before_recorded' AS problem,
           l.last_at AS detail
    FROM import_visits v JOIN last l USING (contact_id, map_id)
    WHERE v.entered_at < l.last_at
    UNION ALL
    SELECT row_no, 'achieved_at', 'after_next_visit', next_at
    FROM nexts WHERE achieved_at > next_at
)
ORDER BY row_no, column_name
LIMIT 1
