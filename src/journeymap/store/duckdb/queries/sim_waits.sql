-- Every wait row: when each arrival at a wait element falls due.
SELECT contact_id, map_id, element_id, entry_id, arrived_seq, due_at FROM waits
ORDER BY arrived_seq
