-- Rows of the import file read into the raw staging table.
SELECT count(*) FROM import_raw
