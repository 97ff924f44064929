-- One typed row of the import file, by its row number (for the message naming a broken rule).
SELECT * FROM import_typed WHERE row_no = $row
