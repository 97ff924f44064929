-- The typed rows of an email events file, staged, with the first rule each breaks
-- (importer/rules.py; NULL: none), and the contacts they name with when.
CREATE OR REPLACE TEMP TABLE import_email_events AS
SELECT t.row_no, t.event, t.map_id, t.element_id, t.contact_id, t.occurred_at,
       coalesce(
           jm_common_rule(t.row_problem, t.bad_column, t.missing_column),
           CASE
               WHEN t.event NOT IN ('sent', 'opened', 'clicked', 'unsubscribed')
                   THEN 'event_unknown'
               WHEN t.map_id IS NOT NULL AND m.map_id IS NULL THEN 'map_unknown'
               WHEN t.element_id IS NOT NULL AND t.map_id IS NULL THEN 'element_needs_map'
               WHEN t.element_id IS NOT NULL AND e.element_id IS NULL THEN 'element_unknown'
           END
       ) AS rule
FROM import_typed t
LEFT JOIN import_maps m ON m.map_id = t.map_id
LEFT JOIN import_elements e ON e.map_id = t.map_id AND e.element_id = t.element_id;
CREATE OR REPLACE TEMP VIEW import_named AS
SELECT contact_id, occurred_at AS seen_at FROM import_email_events;
