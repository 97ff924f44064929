SELECT event, map_id, element_id, contact_id, occurred_at
FROM email_events
ORDER BY occurred_at, contact_id, event
