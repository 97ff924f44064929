SELECT DISTINCT event_id FROM ingested_events WHERE event_id IN {ids:Array(String)}
