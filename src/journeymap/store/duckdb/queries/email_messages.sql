-- Every queued message with its latest delivery status ('queued' before the first attempt) and
-- its attempts (a retry by hand is no attempt); $contact_id narrows to one contact when given.
SELECT o.message_id, o.map_id, o.element_id, o.contact_id, o.kind, o.to_address, o.subject,
       o.created_at,
       coalesce(arg_max(d.status, d.attempt), 'queued') AS status,
       count(d.delivery_id) FILTER (WHERE d.status <> 'reopened') AS attempts,
       arg_max(d.error, d.attempt) AS error
FROM email_outbox o
LEFT JOIN delivery_attempts d ON d.delivery_id = o.message_id
WHERE $contact_id IS NULL OR o.contact_id = $contact_id
GROUP BY ALL
ORDER BY o.created_at, o.message_id
