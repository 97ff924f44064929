-- One row of the import file as it holds its values, as text (JSON Lines: JSON), by row number.
SELECT COLUMNS('^c[0-9]+$')::VARCHAR FROM import_raw WHERE rowid = $row - 1
