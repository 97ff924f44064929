-- Every contact, to rebuild the engine's state file.
SELECT * FROM contacts FINAL
