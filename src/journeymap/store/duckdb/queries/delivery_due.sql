-- A channel's deliveries due at $now (never tried, or their next attempt has come), earliest
-- first, leaving out those in $skip (in flight).
SELECT delivery_id, map_id, element_id, contact_id, last_attempt, tries, first_try_at
FROM delivery_queue
WHERE channel = $channel
  AND (due_at IS NULL OR due_at <= $now)
  AND NOT list_contains($skip::VARCHAR[], delivery_id)
ORDER BY due_at NULLS FIRST, delivery_id
LIMIT $limit
