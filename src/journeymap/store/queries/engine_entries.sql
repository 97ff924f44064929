-- Every entry into a map, in entry order.
SELECT entry_id, map_id, contact_id, element_id, occurred_at
FROM entries
ORDER BY entry_id
