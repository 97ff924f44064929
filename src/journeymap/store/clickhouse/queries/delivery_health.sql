-- A channel's deliveries at a glance: pending (queued, or failed for now and waiting to be tried
-- again), the oldest of them (a retry by hand queues one again at that moment), those never
-- tried since, those whose latest attempt failed with the latest such error, and those failed
-- for good (less those retried by hand). Computed from the deliveries and their attempts.
WITH a AS (
    SELECT delivery_id, argMax(outcome, attempt) AS outcome,
           maxIf(attempt, status = 'reopened') AS reopen,
           maxIfOrNull(occurred_at, status = 'reopened') AS reopened_at,
           argMax(error, attempt) AS last_error
    FROM delivery_attempts
    WHERE channel = {channel:String}
    GROUP BY delivery_id
),
t AS (
    SELECT x.delivery_id AS delivery_id,
           countIf(x.status != 'reopened' AND x.attempt > a.reopen) AS tries,
           maxIfOrNull(x.occurred_at, x.status != 'reopened' AND x.attempt > a.reopen)
               AS last_tried_at
    FROM delivery_attempts x JOIN a ON a.delivery_id = x.delivery_id
    GROUP BY x.delivery_id
),
q AS (
    SELECT d.delivery_id AS delivery_id, coalesce(a.reopened_at, d.created_at) AS created_at,
           coalesce(t.tries, 0) AS tries, t.last_tried_at AS last_tried_at,
           a.last_error AS last_error
    FROM deliveries d
    LEFT JOIN a ON a.delivery_id = d.delivery_id
    LEFT JOIN t ON t.delivery_id = d.delivery_id
    WHERE d.channel = {channel:String} AND (a.outcome IS NULL OR a.outcome = 'pending')
    SETTINGS join_use_nulls = 1
)
SELECT (SELECT count() FROM q) AS pending,
       (SELECT minOrNull(created_at) FROM q) AS oldest_pending_at,
       (SELECT minOrNull(created_at) FROM q WHERE tries = 0) AS oldest_untried_at,
       (SELECT count() FROM q WHERE tries > 0) AS failing,
       (SELECT argMax(last_error, (last_tried_at, delivery_id)) FROM q WHERE tries > 0)
           AS last_error,
       (SELECT countIf(outcome = 'failed') - countIf(status = 'reopened')
        FROM delivery_attempts WHERE channel = {channel:String}) AS failed
