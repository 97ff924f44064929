-- The staged marketing costs as rows of the marketing_costs table, in file order.
SELECT utm_field, utm_value, period_start, period_end, amount::DECIMAL(18, 2) AS amount
FROM import_marketing_costs ORDER BY row_no
