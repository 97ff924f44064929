-- Client event ids recorded after a row number: ids applied around the intake log. A row's
-- number is its insert's block number and its place in the block, which only grow.
SELECT toInt64(_block_number) * 4294967296 + toInt64(_block_offset) AS row_no, event_id
FROM ingested_events
WHERE row_no > {after:Int64}
ORDER BY row_no
