-- Contacts the staged rows name that the store does not know yet, with when they were first seen.
WITH seen AS (
    SELECT contact_id, entered_at AS seen_at FROM import_visits
    UNION ALL SELECT contact_id, occurred_at FROM import_purchases
    UNION ALL SELECT contact_id, occurred_at FROM import_email_events
    UNION ALL SELECT contact_id, occurred_at FROM import_page_visits WHERE contact_id IS NOT NULL
)
SELECT s.contact_id, min(s.seen_at) AS created_at
FROM seen s
WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.contact_id = s.contact_id)
GROUP BY s.contact_id
ORDER BY s.contact_id
