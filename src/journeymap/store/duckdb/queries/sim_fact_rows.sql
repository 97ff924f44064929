-- Every row of every fact table as text, in a fixed order: two runs wrote the same facts when
-- these lists are equal (the simulator's determinism test).
SELECT 'contacts' AS fact, x::VARCHAR AS row FROM contacts x
UNION ALL SELECT 'entries', x::VARCHAR FROM entries x
UNION ALL SELECT 'transitions', x::VARCHAR FROM transitions x
UNION ALL SELECT 'achievements', x::VARCHAR FROM achievements x
UNION ALL SELECT 'waits', x::VARCHAR FROM waits x
UNION ALL SELECT 'email_events', x::VARCHAR FROM email_events x
UNION ALL SELECT 'purchases', x::VARCHAR FROM purchases x
UNION ALL SELECT 'page_visits', x::VARCHAR FROM page_visits x
UNION ALL SELECT 'actions_log', x::VARCHAR FROM actions_log x
UNION ALL SELECT 'maps', x::VARCHAR FROM maps x
ORDER BY fact, row
