-- Events the applier could not apply, newest first, with the reason.
SELECT pos, event_index, kind, contact_id, event, reason, occurred_at
FROM dead_letters
ORDER BY pos DESC, event_index
LIMIT {limit:Int64} OFFSET {offset:Int64}
