-- Every row of every fact table as text, in a fixed order: two runs wrote the same facts when
-- these lists are equal (the simulator's determinism test). Delivery ids are random: left out.
SELECT 'contacts' AS fact, x::VARCHAR AS row FROM contacts x
UNION ALL SELECT 'entries', x::VARCHAR FROM entries x
UNION ALL SELECT 'transitions', x::VARCHAR FROM transitions x
UNION ALL SELECT 'achievements', x::VARCHAR FROM achievements x
UNION ALL SELECT 'waits', x::VARCHAR FROM waits x
UNION ALL SELECT 'email_events', x::VARCHAR FROM email_events x
UNION ALL SELECT 'purchases', x::VARCHAR FROM purchases x
UNION ALL SELECT 'page_visits', x::VARCHAR FROM page_visits x
UNION ALL SELECT 'deliveries', x::VARCHAR
    FROM (SELECT * EXCLUDE (delivery_id) FROM deliveries) x
UNION ALL SELECT 'delivery_attempts', x::VARCHAR
    FROM (SELECT * EXCLUDE (delivery_id) FROM delivery_attempts) x
UNION ALL SELECT 'maps', x::VARCHAR FROM maps x
ORDER BY fact, row
