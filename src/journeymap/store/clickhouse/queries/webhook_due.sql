-- What the webhook worker posts for the deliveries {ids}: the URL and the exact body.
SELECT delivery_id, url, body
FROM webhook_outbox
WHERE has({ids:Array(String)}, delivery_id)
