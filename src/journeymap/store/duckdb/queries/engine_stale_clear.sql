-- The imported contacts were read back (with the engine's next flush number, same transaction).
DELETE FROM engine_stale
