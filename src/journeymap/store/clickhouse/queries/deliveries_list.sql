-- Deliveries newest first with where each stands (its latest attempt; none yet: pending and
-- 'queued'), narrowed by every filter given (NULL: any), one page of them and the list's length.
WITH a AS (
    SELECT delivery_id,
           argMax(outcome, attempt) AS last_state,
           argMax(status, attempt) AS last_status,
           argMax(error, attempt) AS last_error,
           argMax(next_attempt_at, attempt) AS due_at,
           countIf(status != 'reopened') AS tries
    FROM delivery_attempts
    WHERE ({channel:Nullable(String)} IS NULL OR channel = {channel:Nullable(String)})
      AND ({map_id:Nullable(String)} IS NULL OR map_id = {map_id:Nullable(String)})
      AND ({contact_id:Nullable(String)} IS NULL OR contact_id = {contact_id:Nullable(String)})
      AND ({delivery_id:Nullable(String)} IS NULL OR delivery_id = {delivery_id:Nullable(String)})
    GROUP BY delivery_id
),
d AS (
    SELECT d.delivery_id AS delivery_id, d.channel AS channel, d.map_id AS map_id,
           d.element_id AS element_id, d.contact_id AS contact_id, d.created_at AS created_at,
           coalesce(a.last_state, 'pending') AS state, coalesce(a.last_status, 'queued') AS status,
           a.last_error AS error, coalesce(a.tries, 0) AS attempts,
           if(coalesce(a.last_state, 'pending') = 'pending', a.due_at, NULL) AS next_attempt_at
    FROM deliveries d
    LEFT JOIN a ON a.delivery_id = d.delivery_id
    WHERE ({channel:Nullable(String)} IS NULL OR d.channel = {channel:Nullable(String)})
      AND ({map_id:Nullable(String)} IS NULL OR d.map_id = {map_id:Nullable(String)})
      AND ({element_id:Nullable(String)} IS NULL OR d.element_id = {element_id:Nullable(String)})
      AND ({contact_id:Nullable(String)} IS NULL OR d.contact_id = {contact_id:Nullable(String)})
      AND ({delivery_id:Nullable(String)} IS NULL OR d.delivery_id = {delivery_id:Nullable(String)})
      AND ({state:Nullable(String)} IS NULL OR coalesce(a.last_state, 'pending') = {state:Nullable(String)})
),
page AS (
    SELECT *, count() OVER () AS total FROM d
    ORDER BY created_at DESC, delivery_id
    LIMIT {limit:Int64} OFFSET {offset:Int64}
)
SELECT p.delivery_id AS delivery_id, p.channel AS channel, p.map_id AS map_id,
       p.element_id AS element_id, p.contact_id AS contact_id, p.created_at AS created_at,
       p.state AS state, p.status AS status, p.error AS error, p.attempts AS attempts,
       p.next_attempt_at AS next_attempt_at, p.total AS total,
       multiIf(p.channel = 'webhook', 'webhook', e.kind = 'notify', 'notify', 'send_email')
           AS action,
       coalesce(w.url, e.to_address) AS target
FROM page p
LEFT JOIN webhook_outbox w ON w.delivery_id = p.delivery_id
LEFT JOIN email_outbox e ON e.message_id = p.delivery_id
ORDER BY p.created_at DESC, p.delivery_id
SETTINGS join_use_nulls = 1
