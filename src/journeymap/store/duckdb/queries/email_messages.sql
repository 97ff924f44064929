-- Every queued message with its latest delivery status ('queued' before the first attempt);
-- $contact_id narrows to one contact when given.
SELECT o.message_id, o.map_id, o.element_id, o.contact_id, o.to_address, o.subject,
       o.created_at,
       coalesce(arg_max(d.status, d.attempt), 'queued') AS status,
       count(d.message_id) AS attempts,
       arg_max(d.error, d.attempt) AS error
FROM email_outbox o
LEFT JOIN email_deliveries d ON d.message_id = o.message_id
WHERE $contact_id IS NULL OR o.contact_id = $contact_id
GROUP BY ALL
ORDER BY o.created_at, o.message_id
