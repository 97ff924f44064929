-- A large import sorts and windows millions of rows; cap DuckDB's memory so it spills to disk.
SET memory_limit = $memory_limit
