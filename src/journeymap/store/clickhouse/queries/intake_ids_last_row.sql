-- The last row number of the store's client event ids (intake_ids_after.sql), -1 with none.
SELECT coalesce(max(toInt64(_block_number) * 4294967296 + toInt64(_block_offset)), -1)
FROM ingested_events
