-- The contacts a contacts file gives, for the engine to read back after the import.
INSERT INTO engine_stale SELECT contact_id FROM import_contacts
