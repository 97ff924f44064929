-- Messages not yet settled, with their attempts so far. The settling statuses are
-- journeymap.email.delivery.FINAL.
SELECT o.message_id, o.contact_id, o.to_address, o.subject, o.html, o.text, o.unsubscribe_url,
       o.created_at, c.fields AS contact_fields,
       count(d.message_id) AS attempts, max(d.occurred_at) AS last_attempt_at
FROM email_outbox o
LEFT JOIN email_deliveries d ON d.message_id = o.message_id
LEFT JOIN contacts c ON c.contact_id = o.contact_id
WHERE NOT EXISTS (
    SELECT 1 FROM email_deliveries f
    WHERE f.message_id = o.message_id
      AND f.status IN ('delivered', 'suppressed', 'no_address', 'simulated', 'invalid')
)
GROUP BY ALL
ORDER BY o.created_at, o.message_id
