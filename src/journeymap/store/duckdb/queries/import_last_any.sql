-- Whether any staged contact has history on its map in the store.
SELECT 1 FROM import_last LIMIT 1
