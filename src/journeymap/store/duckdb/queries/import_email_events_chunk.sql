SELECT event, map_id, element_id, contact_id, occurred_at
FROM import_email_events WHERE row_no BETWEEN $lo AND $hi ORDER BY row_no
