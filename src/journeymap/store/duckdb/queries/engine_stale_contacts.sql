-- The contacts a history import wrote, to read back into the engine's state file.
SELECT * FROM contacts WHERE contact_id IN (SELECT contact_id FROM engine_stale)
