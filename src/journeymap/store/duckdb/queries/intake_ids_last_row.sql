-- The last row of the store's client event ids.
SELECT coalesce(max(rowid), -1) FROM ingested_events
