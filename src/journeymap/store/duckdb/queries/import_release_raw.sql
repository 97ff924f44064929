-- The file's raw and typed rows, no longer needed once its rows are checked and staged.
DROP VIEW IF EXISTS import_typed;
DROP TABLE IF EXISTS import_raw;
