-- Every attempt of a channel's deliveries ($channel NULL: every channel), in the order made.
SELECT delivery_id, channel, map_id, element_id, contact_id, attempt, status, outcome, error,
       occurred_at, next_attempt_at
FROM delivery_attempts
WHERE $channel IS NULL OR channel = $channel
ORDER BY occurred_at, delivery_id, attempt
