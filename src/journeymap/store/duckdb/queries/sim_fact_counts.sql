-- Rows per fact table, to check what a simulation wrote.
SELECT 'contacts' AS fact, count(*) AS n FROM contacts
UNION ALL SELECT 'entries', count(*) FROM entries
UNION ALL SELECT 'transitions', count(*) FROM transitions
UNION ALL SELECT 'achievements', count(*) FROM achievements
UNION ALL SELECT 'waits', count(*) FROM waits
UNION ALL SELECT 'email_events', count(*) FROM email_events
UNION ALL SELECT 'purchases', count(*) FROM purchases
UNION ALL SELECT 'page_visits', count(*) FROM page_visits
