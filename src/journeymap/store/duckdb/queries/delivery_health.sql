-- A channel's deliveries at a glance: pending (queued, or failed for now and waiting to be tried
-- again), the oldest of them, those never tried, those whose latest attempt failed with the
-- latest such error, and those failed for good (less those retried by hand).
WITH q AS (SELECT * FROM delivery_queue WHERE channel = $channel)
SELECT (SELECT count(*) FROM q) AS pending,
       (SELECT min(created_at) FROM q) AS oldest_pending_at,
       (SELECT min(created_at) FROM q WHERE tries = 0) AS oldest_untried_at,
       (SELECT count(*) FROM q WHERE tries > 0) AS failing,
       (SELECT arg_max(last_error, struct_pack(at := last_tried_at, id := delivery_id))
        FROM q WHERE tries > 0) AS last_error,
       (SELECT count(*) FILTER (WHERE outcome = 'failed')
               - count(*) FILTER (WHERE status = 'reopened')
        FROM delivery_attempts WHERE channel = $channel) AS failed
