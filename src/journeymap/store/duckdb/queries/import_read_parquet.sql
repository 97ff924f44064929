-- A Parquet file into the raw staging table, each column in its own type, named c0..cN by
-- position (the aliases filled in).
CREATE OR REPLACE TEMP TABLE import_raw AS
SELECT * FROM read_parquet($path) AS t({aliases})
