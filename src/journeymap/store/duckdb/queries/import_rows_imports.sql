-- Every row of imports, in a stable order (to read back what an import wrote).
SELECT * FROM imports ORDER BY occurred_at, file_name
