-- The columns of the raw staging table and their SQL types.
SELECT column_name, column_type FROM (DESCRIBE import_raw)
