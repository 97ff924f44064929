-- Client event ids recorded after a row number: ids applied around the intake log.
SELECT rowid AS row_no, event_id FROM ingested_events WHERE rowid > $after ORDER BY rowid
