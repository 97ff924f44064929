-- Fold a block of email events (`_jm_block`) into per member and send-email element counts.
-- Runs after summary_members.sql; events with no map are not part of any map's report.
MERGE INTO rs_email e
USING (
    SELECT m.mk, m.map_id, b.element_id,
           count(*) FILTER (WHERE b.event = 'sent') AS sent,
           count(*) FILTER (WHERE b.event = 'opened') AS opened,
           count(*) FILTER (WHERE b.event = 'clicked') AS clicked,
           count(*) FILTER (WHERE b.event = 'unsubscribed') AS unsubscribed
    FROM _jm_block b
    JOIN rs_member m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
    WHERE b.element_id IS NOT NULL
    GROUP BY ALL
) s
ON e.mk = s.mk AND e.element_id = s.element_id
WHEN MATCHED THEN UPDATE SET
    sent = e.sent + s.sent,
    opened = e.opened + s.opened,
    clicked = e.clicked + s.clicked,
    unsubscribed = e.unsubscribed + s.unsubscribed
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mk, s.map_id, s.element_id, s.sent, s.opened, s.clicked, s.unsubscribed
);
