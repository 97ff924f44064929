-- The outbox at a glance: pending messages (no settling status yet; the settling statuses are
-- journeymap.email.delivery.FINAL), the oldest of them, those whose latest attempt failed and
-- its error, those never tried, and those settled as invalid.
WITH latest AS (
    SELECT o.message_id, o.created_at,
           arg_max(d.status, d.attempt) AS status,
           arg_max(d.error, d.attempt) AS error,
           max(d.occurred_at) AS last_at
    FROM email_outbox o
    LEFT JOIN email_deliveries d ON d.message_id = o.message_id
    GROUP BY ALL
)
SELECT count(*) FILTER (WHERE status IS NULL OR status = 'failed') AS pending,
       min(created_at) FILTER (WHERE status IS NULL OR status = 'failed') AS oldest_pending_at,
       min(created_at) FILTER (WHERE status IS NULL) AS oldest_untried_at,
       count(*) FILTER (WHERE status = 'failed') AS failing,
       arg_max(error, last_at) FILTER (WHERE status = 'failed') AS last_error,
       count(*) FILTER (WHERE status = 'invalid') AS invalid
FROM latest
