SELECT d.message_id, o.contact_id, d.attempt, d.status, d.error, d.occurred_at
FROM email_deliveries d
JOIN email_outbox o ON o.message_id = d.message_id
ORDER BY d.occurred_at, d.message_id, d.attempt
