SELECT contact_id, occurred_at, amount, product
FROM purchases
ORDER BY occurred_at, contact_id
