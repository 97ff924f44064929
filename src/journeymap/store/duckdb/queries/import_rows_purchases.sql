-- Every row of purchases, in a stable order (to read back what an import wrote).
SELECT * FROM purchases ORDER BY occurred_at, contact_id, amount
