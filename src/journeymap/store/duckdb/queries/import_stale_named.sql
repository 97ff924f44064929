-- The contacts the staged rows name, for the engine to read back after the import.
INSERT INTO engine_stale SELECT DISTINCT contact_id FROM import_named
