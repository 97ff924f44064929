-- The contacts a typed import file names (for copying what the store knows of them).
SELECT DISTINCT contact_id AS k FROM import_typed WHERE contact_id IS NOT NULL
