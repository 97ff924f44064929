-- Every attempt (and retry by hand) of the deliveries {ids}, in order.
SELECT delivery_id, attempt, status, outcome, error, occurred_at, next_attempt_at
FROM delivery_attempts
WHERE has({ids:Array(String)}, delivery_id)
ORDER BY delivery_id, attempt
