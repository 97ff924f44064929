SELECT contact_id, occurred_at, amount::DECIMAL(18, 2) AS amount, product
FROM import_purchases WHERE row_no BETWEEN $lo AND $hi ORDER BY row_no
