-- Every move in seq order.
SELECT seq, contact_id, map_id, entry_id, from_element, to_element, connector_id, kind, occurred_at
FROM transitions ORDER BY seq
