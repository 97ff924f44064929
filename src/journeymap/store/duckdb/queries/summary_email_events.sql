-- Fold a block of email events (`_jm_block`) into per member and send-email element counts.
-- Runs after summary_members.sql (`_jm_mk`); events with no map are not part of any map's report.
MERGE INTO rs_email e
USING (
    SELECT m.mapk, k.k AS ek, m.mk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5,
           count(*) FILTER (WHERE b.event = 'sent') AS sent,
           count(*) FILTER (WHERE b.event = 'opened') AS opened,
           count(*) FILTER (WHERE b.event = 'clicked') AS clicked,
           count(*) FILTER (WHERE b.event = 'unsubscribed') AS unsubscribed
    FROM _jm_block b
    JOIN _jm_mk m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
    JOIN rs_key k ON k.mapk = m.mapk AND k.kind = 'element' AND k.name = b.element_id
    WHERE b.element_id IS NOT NULL
    GROUP BY ALL
    ORDER BY m.mapk, m.u1, m.u2, m.u3, m.u4, m.u5, m.ce, m.mk, k.k
) s
ON e.mk = s.mk AND e.ek = s.ek
   AND e.u1 = s.u1 AND e.u2 = s.u2 AND e.u3 = s.u3 AND e.u4 = s.u4 AND e.u5 = s.u5
WHEN MATCHED THEN UPDATE SET
    sent = e.sent + s.sent,
    opened = e.opened + s.opened,
    clicked = e.clicked + s.clicked,
    unsubscribed = e.unsubscribed + s.unsubscribed
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mapk, s.ek, s.mk, s.ce, s.u1, s.u2, s.u3, s.u4, s.u5,
    s.sent, s.opened, s.clicked, s.unsubscribed
);
