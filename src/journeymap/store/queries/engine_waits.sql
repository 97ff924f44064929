-- Every wait row (a contact held at a wait until due_at), in arrival order.
SELECT contact_id, map_id, element_id, entry_id, arrived_seq, due_at
FROM waits
ORDER BY arrived_seq
