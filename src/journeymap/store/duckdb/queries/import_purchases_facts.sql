-- The staged purchases as rows of the purchases table, in file order.
SELECT contact_id, occurred_at, amount::DECIMAL(18, 2) AS amount, product
FROM import_purchases ORDER BY row_no
