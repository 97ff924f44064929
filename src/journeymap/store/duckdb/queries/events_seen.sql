SELECT event_id FROM ingested_events WHERE event_id IN (SELECT unnest($ids::VARCHAR[]))
