-- The contacts the staged visits name, with when.
CREATE OR REPLACE TEMP VIEW import_named AS
SELECT contact_id, entered_at AS seen_at FROM import_visits
