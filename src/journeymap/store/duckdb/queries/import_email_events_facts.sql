-- The staged email events as rows of the email_events table, in file order.
SELECT event, map_id, element_id, contact_id, occurred_at
FROM import_email_events ORDER BY row_no
