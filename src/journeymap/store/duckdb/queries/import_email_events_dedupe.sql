-- Skip staged email events the store already holds: per natural key (event, map, element,
-- contact, time) the first n copies in the file are dropped, n being the store's count.
DELETE FROM import_email_events WHERE row_no IN (
    SELECT s.row_no
    FROM (
        SELECT *, row_number() OVER (
            PARTITION BY event, map_id, element_id, contact_id, occurred_at ORDER BY row_no
        ) AS copy
        FROM import_email_events
    ) s
    JOIN (
        SELECT event, map_id, element_id, contact_id, occurred_at, count(*) AS n
        FROM email_events
        WHERE contact_id IN (SELECT contact_id FROM import_email_events)
        GROUP BY ALL
    ) p
        ON s.event = p.event AND s.map_id IS NOT DISTINCT FROM p.map_id
       AND s.element_id IS NOT DISTINCT FROM p.element_id
       AND s.contact_id = p.contact_id AND s.occurred_at = p.occurred_at
    WHERE s.copy <= p.n
)
