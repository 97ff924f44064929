-- Every row of email_events, in a stable order (to read back what an import wrote).
SELECT * FROM email_events ORDER BY occurred_at, contact_id, event
