-- Deliveries newest first with where each stands (its latest attempt; none yet: pending and
-- 'queued'), narrowed by every filter given (NULL: any), one page of them and the list's length.
WITH a AS (
    SELECT delivery_id,
           arg_max(outcome, attempt) AS state,
           arg_max(status, attempt) AS status,
           arg_max(error, attempt) AS error,
           arg_max(next_attempt_at, attempt) AS next_attempt_at,
           count(*) FILTER (WHERE status <> 'reopened') AS attempts
    FROM delivery_attempts
    WHERE ($channel::VARCHAR IS NULL OR channel = $channel)
      AND ($map_id::VARCHAR IS NULL OR map_id = $map_id)
      AND ($contact_id::VARCHAR IS NULL OR contact_id = $contact_id)
      AND ($delivery_id::VARCHAR IS NULL OR delivery_id = $delivery_id)
    GROUP BY delivery_id
),
d AS (
    SELECT d.delivery_id, d.channel, d.map_id, d.element_id, d.contact_id, d.created_at,
           coalesce(a.state, 'pending') AS state, coalesce(a.status, 'queued') AS status,
           a.error, coalesce(a.attempts, 0) AS attempts,
           CASE WHEN coalesce(a.state, 'pending') = 'pending' THEN a.next_attempt_at END
               AS next_attempt_at
    FROM deliveries d
    LEFT JOIN a USING (delivery_id)
    WHERE ($channel::VARCHAR IS NULL OR d.channel = $channel)
      AND ($map_id::VARCHAR IS NULL OR d.map_id = $map_id)
      AND ($element_id::VARCHAR IS NULL OR d.element_id = $element_id)
      AND ($contact_id::VARCHAR IS NULL OR d.contact_id = $contact_id)
      AND ($delivery_id::VARCHAR IS NULL OR d.delivery_id = $delivery_id)
      AND ($state::VARCHAR IS NULL OR coalesce(a.state, 'pending') = $state)
),
page AS (
    SELECT *, count(*) OVER () AS total FROM d
    ORDER BY created_at DESC, delivery_id
    LIMIT $limit OFFSET $offset
)
SELECT p.*,
       CASE WHEN p.channel = 'webhook' THEN 'webhook'
            WHEN e.kind = 'notify' THEN 'notify' ELSE 'send_email' END AS action,
       coalesce(w.url, e.to_address) AS target
FROM page p
LEFT JOIN webhook_outbox w ON w.delivery_id = p.delivery_id
LEFT JOIN email_outbox e ON e.message_id = p.delivery_id
ORDER BY p.created_at DESC, p.delivery_id
