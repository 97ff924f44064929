-- Every queued message with its latest delivery status ('queued' before the first attempt) and
-- its attempts (a retry by hand is no attempt); {contact_id} narrows to one contact when given.
SELECT message_id, map_id, element_id, contact_id, kind, to_address, subject, created_at,
       last_status AS status, tries AS attempts, last_error AS error
FROM (
    SELECT o.message_id AS message_id, any(o.map_id) AS map_id,
           any(o.element_id) AS element_id, any(o.contact_id) AS contact_id, any(o.kind) AS kind,
           any(o.to_address) AS to_address, any(o.subject) AS subject,
           any(o.created_at) AS created_at,
           coalesce(argMax(d.status, d.attempt), 'queued') AS last_status,
           countIf(d.delivery_id IS NOT NULL AND d.status != 'reopened') AS tries,
           argMax(d.error, d.attempt) AS last_error
    FROM email_outbox o
    LEFT JOIN delivery_attempts d ON d.delivery_id = o.message_id
    WHERE {contact_id:Nullable(String)} IS NULL OR o.contact_id = {contact_id:Nullable(String)}
    GROUP BY o.message_id
    SETTINGS join_use_nulls = 1
)
ORDER BY created_at, message_id
