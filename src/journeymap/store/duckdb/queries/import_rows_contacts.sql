-- Every row of contacts, in a stable order (to read back what an import wrote).
SELECT * FROM contacts ORDER BY contact_id
