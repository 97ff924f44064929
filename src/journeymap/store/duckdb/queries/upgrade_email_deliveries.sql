-- A store made before the channels kept email attempts in email_deliveries and counted a
-- message `sent` when the engine queued it. Every message becomes an email delivery, its
-- attempts move to delivery_attempts under today's statuses (a temporary `failed` is `deferred`,
-- due again at once), and the `sent` of each message the SMTP server never took is removed: it
-- is recorded when the message is delivered. The caller holds a transaction.
INSERT INTO deliveries (delivery_id, channel, map_id, element_id, contact_id, created_at)
SELECT o.message_id, 'email', o.map_id, o.element_id, o.contact_id, o.created_at
FROM email_outbox o
WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.delivery_id = o.message_id);

INSERT INTO delivery_attempts (delivery_id, channel, map_id, element_id, contact_id, attempt,
                               status, outcome, error, occurred_at, next_attempt_at)
SELECT e.message_id, 'email', o.map_id, o.element_id, o.contact_id, e.attempt,
       CASE e.status WHEN 'failed' THEN 'deferred' ELSE e.status END,
       CASE WHEN e.status IN ('delivered', 'simulated') THEN 'delivered'
            WHEN e.status = 'failed' THEN 'pending'
            ELSE 'failed' END,
       e.error, e.occurred_at,
       CASE WHEN e.status = 'failed' THEN e.occurred_at END
FROM email_deliveries e
JOIN email_outbox o ON o.message_id = e.message_id
ORDER BY e.message_id, e.attempt;

DELETE FROM email_events
WHERE rowid IN (
    WITH untaken AS (
        SELECT o.map_id, o.element_id, o.contact_id, o.created_at, count(*) AS messages
        FROM email_outbox o
        WHERE NOT EXISTS (
            SELECT 1 FROM email_deliveries e
            WHERE e.message_id = o.message_id AND e.status IN ('delivered', 'simulated')
        )
        GROUP BY ALL
    ),
    sent AS (
        SELECT rowid AS row_id, map_id, element_id, contact_id, occurred_at,
               row_number() OVER (
                   PARTITION BY map_id, element_id, contact_id, occurred_at ORDER BY rowid
               ) AS nth
        FROM email_events
        WHERE event = 'sent'
    )
    SELECT s.row_id
    FROM sent s
    JOIN untaken u
      ON s.map_id = u.map_id AND s.element_id = u.element_id AND s.contact_id = u.contact_id
     AND s.occurred_at = u.created_at AND s.nth <= u.messages
);

DROP TABLE email_deliveries;
