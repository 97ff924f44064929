-- A channel's deliveries due at {now} (never tried, or pending with their next attempt come),
-- earliest first, leaving out those in {skip} (in flight); with the number of the latest attempt
-- row, and the tries and first try since the latest retry by hand (the retry policy's backoff
-- and horizon start there). Computed from the deliveries and their attempts.
WITH a AS (
    SELECT delivery_id, max(attempt) AS last_attempt, argMax(outcome, attempt) AS outcome,
           argMax(next_attempt_at, attempt) AS due_at,
           maxIf(attempt, status = 'reopened') AS reopen
    FROM delivery_attempts
    WHERE channel = {channel:String}
    GROUP BY delivery_id
),
t AS (
    SELECT x.delivery_id AS delivery_id,
           countIf(x.status != 'reopened' AND x.attempt > a.reopen) AS tries,
           minIfOrNull(x.occurred_at, x.status != 'reopened' AND x.attempt > a.reopen)
               AS first_try_at
    FROM delivery_attempts x JOIN a ON a.delivery_id = x.delivery_id
    GROUP BY x.delivery_id
)
SELECT d.delivery_id AS delivery_id, d.map_id AS map_id, d.element_id AS element_id,
       d.contact_id AS contact_id, coalesce(a.last_attempt, 0) AS last_attempt,
       coalesce(t.tries, 0) AS tries, t.first_try_at AS first_try_at
FROM deliveries d
LEFT JOIN a ON a.delivery_id = d.delivery_id
LEFT JOIN t ON t.delivery_id = d.delivery_id
WHERE d.channel = {channel:String}
  AND (a.outcome IS NULL OR a.outcome = 'pending')
  AND (a.due_at IS NULL OR a.due_at <= {now:DateTime64(6, 'UTC')})
  AND NOT has({skip:Array(String)}, d.delivery_id)
ORDER BY a.due_at NULLS FIRST, d.delivery_id
LIMIT {limit:Int64}
SETTINGS join_use_nulls = 1
