-- The visitors a typed page visits file names (a visitor is the contact when not given).
SELECT DISTINCT coalesce(visitor_id, contact_id) AS k
FROM import_typed
WHERE coalesce(visitor_id, contact_id) IS NOT NULL
