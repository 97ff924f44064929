-- Whether a history import wrote contacts the engine has not read back yet.
SELECT EXISTS (SELECT 1 FROM engine_stale) AS stale
