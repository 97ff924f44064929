-- The delivery queue after a block of attempts (`_jm_block`): a delivery still pending waits for
-- its next attempt, with its tries and first try counted since the latest retry by hand (the
-- retry policy's backoff and horizon start there); a settled delivery leaves the queue, and one
-- retried by hand comes back as queued at that moment.
CREATE OR REPLACE TEMP TABLE _jm_due AS
WITH b AS (
    SELECT delivery_id, any_value(channel) AS channel, any_value(map_id) AS map_id,
           any_value(element_id) AS element_id, any_value(contact_id) AS contact_id,
           max(attempt) AS last_attempt,
           max(attempt) FILTER (WHERE status = 'reopened') AS reopen,
           max(occurred_at) FILTER (WHERE status = 'reopened') AS reopened_at,
           arg_max(outcome, attempt) AS outcome,
           arg_max(next_attempt_at, attempt) AS due_at,
           arg_max(error, attempt) AS last_error
    FROM _jm_block
    GROUP BY delivery_id
),
t AS (
    SELECT b.delivery_id, count(x.attempt) AS tries, min(x.occurred_at) AS first_at,
           max(x.occurred_at) AS last_at
    FROM b
    LEFT JOIN _jm_block x
        ON x.delivery_id = b.delivery_id AND x.status <> 'reopened'
       AND x.attempt > coalesce(b.reopen, 0)
    GROUP BY b.delivery_id
)
SELECT b.delivery_id, b.channel, b.map_id, b.element_id, b.contact_id,
       coalesce(q.created_at, b.reopened_at) AS created_at, b.due_at, b.last_attempt,
       CASE WHEN b.reopen IS NULL THEN coalesce(q.tries, 0) ELSE 0 END + t.tries AS tries,
       CASE WHEN b.reopen IS NULL THEN coalesce(q.first_try_at, t.first_at) ELSE t.first_at END
           AS first_try_at,
       coalesce(t.last_at, CASE WHEN b.reopen IS NULL THEN q.last_tried_at END) AS last_tried_at,
       b.last_error, b.outcome
FROM b
JOIN t USING (delivery_id)
LEFT JOIN delivery_queue q USING (delivery_id);
DELETE FROM delivery_queue WHERE delivery_id IN (SELECT delivery_id FROM _jm_due);
INSERT INTO delivery_queue
SELECT delivery_id, channel, map_id, element_id, contact_id, created_at, due_at, last_attempt,
       tries, first_try_at, last_tried_at, last_error
FROM _jm_due
WHERE outcome = 'pending'
ORDER BY delivery_id;
