-- One slice of the shaped visit facts, in sequence order.
SELECT seq, fact, contact_id, map_id, entry_id, from_element, to_element, connector_id, kind,
       occurred_at
FROM import_visit_facts
WHERE seq > $lo AND seq <= $hi
ORDER BY seq
